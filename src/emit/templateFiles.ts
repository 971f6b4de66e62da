/**
 * Which template files a directory holds, without handlebars: the fingerprint of a run lists them too, and must
 * not pay for loading the template engine.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Every `.hbs` file under `dir`, relative. Directories are followed through links, but each real directory once:
 * a link back to an ancestor is a loop, reported by `onLoop` instead of recursing without end.
 */
export function listTemplateFiles(dir: string, onLoop: (at: string) => void, prefix = '', ancestors: ReadonlySet<string> = new Set([realpathSync(dir)])): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    const rel = prefix ? `${prefix}/${entry}` : entry;
    let st;
    try {
      st = statSync(full);
    } catch {
      continue; // a dangling link: nothing to read
    }
    if (st.isDirectory()) {
      const real = realpathSync(full);
      if (ancestors.has(real)) onLoop(full);
      else out.push(...listTemplateFiles(full, onLoop, rel, new Set([...ancestors, real])));
    } else if (entry.endsWith('.hbs')) out.push(rel);
  }
  return out;
}

