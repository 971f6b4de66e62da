/** The file-system calls the writer makes: injectable, so that tests can fail or slow any one of them. */
import type * as nodeFs from 'node:fs';

export type Fs = Pick<
  typeof nodeFs,
  'readFileSync' | 'writeFileSync' | 'renameSync' | 'unlinkSync' | 'mkdirSync' | 'readdirSync' | 'statSync' | 'lstatSync' | 'existsSync' | 'rmdirSync'
>;
