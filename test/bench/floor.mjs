// The floor: the work the generator cannot avoid. A bare Node process reads the three documents and parses
// them with remark-parse section by section, cut where the generator cuts them (sectionParts), nothing else.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { normalizeNewlines, sectionParts } from '../../dist/parse/markdown.js';

const processor = unified().use(remarkParse);
for (const kind of ['COMMANDS', 'TYPES', 'EVENTS']) {
  const text = normalizeNewlines(readFileSync(path.join(process.argv[2], `${kind}.md`), 'utf8'));
  for (const part of sectionParts(text)) if (part.kind === 'chunk') processor.parse(text.slice(part.start, part.end));
}
