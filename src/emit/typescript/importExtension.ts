import type { FileMap } from '../../writer/fileMap.js';

/**
 * Relative imports as `./x.ts` instead of `./x.js` (`importExtension: "ts"`): what Node's type stripping and
 * `allowImportingTsExtensions` / `rewriteRelativeImportExtensions` read. Only import and export lines change.
 */
export function withImportExtension(files: FileMap, extension: 'js' | 'ts'): FileMap {
  if (extension === 'js') return files;
  const out: FileMap = new Map();
  for (const [rel, text] of files) out.set(rel, rel.endsWith('.ts') ? text.replace(/^((?:import|export)\b[^\n]*? from "\.\/[A-Za-z0-9_]+)\.js(";)$/gm, '$1.ts$2') : text);
  return out;
}
