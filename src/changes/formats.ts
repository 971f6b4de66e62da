/** The formats `changes` writes its report in (a module of its own: the CLI lists them without loading the comparer). */
export type ChangesFormat = 'text' | 'markdown' | 'json' | 'github';
export const CHANGES_FORMATS: readonly ChangesFormat[] = ['text', 'markdown', 'json', 'github'];
