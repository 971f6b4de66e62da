// The floor: the work the generator cannot avoid, and nothing of ours. A fresh Node process imports unified and
// remark-parse, reads the three documents and parses each section (the text from one level-2 or level-3 heading
// to the next) with remark-parse.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';

const processor = unified().use(remarkParse);
for (const kind of ['COMMANDS', 'TYPES', 'EVENTS']) {
  const text = readFileSync(path.join(process.argv[2], `${kind}.md`), 'utf8');
  for (const section of text.split(/^(?=#{2,3} )/m)) processor.parse(section);
}
