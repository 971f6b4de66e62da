/** The outputs the generator can emit, in the order they are listed to users. */
export const TARGETS = ['docs', 'model', 'snippets', 'typescript', 'python', 'schema', 'asyncapi', 'docs-html'] as const;
export type Target = (typeof TARGETS)[number];
