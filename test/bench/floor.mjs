// The floor: a bare Node process that reads the three documents and parses each with remark-parse, nothing else.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
const processor = unified().use(remarkParse);
for (const kind of ['COMMANDS', 'TYPES', 'EVENTS']) processor.parse(readFileSync(path.join(process.argv[2], `${kind}.md`), 'utf8'));
