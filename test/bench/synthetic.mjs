// Synthetic specs: the latest era with every command, type and event copied k times under new names.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Renames every type, command and event of `text` with suffix `n` (copy 0 keeps the names). */
function renamed(text, names, n) {
  if (n === 0) return text;
  const re = new RegExp(`\\[(${names.map(escape).join('|')})\\]\\((\\./(?:TYPES|COMMANDS)\\.md)?#([a-z0-9_-]+)\\)`, 'g');
  return text
    .replace(re, (_, name, file, anchor) => `[${name}${n}](${file ?? ''}#${anchor}${n})`)
    .replace(/^(#{2,3}) (\S+)$/gm, (line, hashes, name) => (names.includes(name) ? `${hashes} ${name}${n}` : line));
}

function split(text) {
  const parts = text.replace(/\r\n/g, '\n').split('\n---\n');
  return { head: parts[0], sections: parts.slice(1) };
}

export function writeSynthetic(dir, docs, k) {
  mkdirSync(dir, { recursive: true });
  const typeNames = [...docs.TYPES.matchAll(/^## (\S+)$/gm)].map((m) => m[1]);
  const commandNames = [...docs.COMMANDS.matchAll(/^### (\S+)$/gm)].map((m) => m[1]);
  const eventNames = [...docs.EVENTS.matchAll(/^### (\S+)$/gm)].map((m) => m[1]);
  const all = [...typeNames, ...commandNames, ...eventNames].sort((a, b) => b.length - a.length);
  for (const [kind, text] of Object.entries(docs)) {
    const { head, sections } = split(text);
    const body = [];
    for (let n = 0; n < k; n++) for (const s of sections) if (s.trim()) body.push(renamed(s, all, n));
    // The events' table of contents decides main and other events: copies are listed as other events.
    const trailer = kind === 'TYPES' ? '' : '\n---\n';
    writeFileSync(path.join(dir, `${kind}.md`), [head, ...body].join('\n---\n') + trailer);
  }
  return { commands: commandNames.length * k, types: typeNames.length * k, events: eventNames.length * k };
}
