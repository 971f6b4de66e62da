// Hostile specs of just under 1 MB, each as close to a limit as the limits allow, run through the real CLI
// (`generate`, every target): the time and peak memory of each. The bound the project keeps: 10 s and 1 GB.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeSynthetic } from './synthetic.mjs';

const SIZE = 990_000;

function commandSection(name, description) {
  return `### ${name}\n\n${description}\n\n*Network usage*: no.\n\n**Parameters**:\n- userId: int64\n\n**Syntax**:\n\n\`\`\`\n/_${name.toLowerCase()} <userId>\n\`\`\`\n\n**Response**:\n\nCmdOk: Ok.\n- type: "cmdOk"\n\n---\n`;
}

/** A COMMANDS.md of commands whose descriptions are `paragraph` repeated, filling about `size` characters. */
function commandsDoc(paragraph, perSection, size) {
  const head = '# API Commands and Responses\n\nThis file is generated automatically.\n\n[Commands](#commands)\n- [C0](#c0)\n\n---\n\n\n## Commands\n\nCommands.\n\n\n';
  const parts = [head];
  let total = head.length;
  for (let i = 0; total < size; i++) {
    const s = commandSection(`C${i}`, Array(perSection).fill(paragraph).join('\n\n'));
    parts.push(s);
    total += s.length;
  }
  return parts.join('');
}

const TYPES_HEAD = '# API Types\n\nThis file is generated automatically.\n\n- [T0](#t0)\n\n---\n';

const prose = (n) => 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. '.repeat(Math.ceil(n / 80) + 1).slice(0, Math.max(1, n));

/** The documents `build(k)` gives for the smallest k (the densest) whose every document passes the limits. */
async function densest(build) {
  const { checkMarkdownLimits } = await import('../../dist/parse/limits.js');
  const passes = (k) => Object.values(build(k)).every((text) => checkMarkdownLimits(text, 'x').length === 0);
  let lo = 1;
  let hi = 1;
  while (!passes(hi)) hi *= 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (passes(mid)) hi = mid;
    else lo = mid + 1;
  }
  return build(hi);
}

/** Every shape: a directory of documents of just under 1 MB, each as dense as the limits of limits.ts allow. */
export async function hostileSpecs(root, corpusDocs) {
  const specs = [];
  const add = (name, docs) => {
    const dir = path.join(root, name);
    mkdirSync(dir, { recursive: true });
    for (const [k, v] of Object.entries(docs)) writeFileSync(path.join(dir, `${k}.md`), v);
    specs.push({ name, dir });
  };
  const shapes = {
    'emphasis markers': (k) => ({ COMMANDS: commandsDoc(`${'*a_'.repeat(63)}\n\n${prose(k)}`, 4, SIZE) }),
    'link markers': (k) => ({ COMMANDS: commandsDoc(`${Array(170).fill('[a](').join('\n')}\n\n${prose(k)}`, 4, SIZE) }),
    'nested lists': (k) => ({ COMMANDS: commandsDoc(`${Array.from({ length: 170 }, (_, i) => `- item ${i}\n  - nested\n    - deeper`).join('\n')}\n\n${prose(k)}`, 1, SIZE) }),
    'lists that alternate bullets': (k) => ({ COMMANDS: commandsDoc(`${Array.from({ length: 255 }, (_, i) => `- a${i}\n* b`).join('\n')}\n\n${prose(k)}`, 1, SIZE) }),
    'block quotes and lists': (k) => ({ COMMANDS: commandsDoc(`${Array.from({ length: 255 }, (_, i) => `> - a${i}\n> > b`).join('\n')}\n\n${prose(k)}`, 1, SIZE) }),
    'enum types': (k) => {
      let types = TYPES_HEAD;
      for (let i = 0; types.length < SIZE - 2000; i++) types += `\n## T${i}\n\n${prose(k)}\n\n**Enum type**:\n- "a${i}"\n- "b${i}"\n\n---\n`;
      return { COMMANDS: commandsDoc('x', 1, 1), TYPES: types };
    },
    'record fields': (k) => {
      let types = TYPES_HEAD;
      for (let i = 0; types.length < SIZE - 4000; i++) types += `\n## R${i}\n\n${prose(k)}\n\n**Record type**:\n${Array.from({ length: 100 }, (_, j) => `- f${j}: int?`).join('\n')}\n\n---\n`;
      return { COMMANDS: commandsDoc('x', 1, 1), TYPES: types };
    },
    'commands with parameters': (k) => {
      let cmds = commandsDoc('x', 1, 1);
      for (let i = 0; cmds.length < SIZE; i++) cmds += `### P${i}\n\n${prose(k)}\n\n**Parameters**:\n${Array.from({ length: 20 }, (_, j) => `- p${j}: int`).join('\n')}\n\n**Syntax**:\n\n\`\`\`\n/p${i}${Array.from({ length: 20 }, (_, j) => ` <p${j}>`).join('')}\n\`\`\`\n\n**Response**:\n\nCmdOk: Ok.\n- type: "cmdOk"\n\n---\n`;
      return { COMMANDS: cmds };
    },
  };
  for (const [name, build] of Object.entries(shapes)) add(`${name}, as dense as allowed`, await densest(build));
  add('prose in 10,000-character lines', { COMMANDS: commandsDoc(Array(3).fill(prose(9_999)).join('\n'), 1, SIZE) });
  {
    let cmds = commandsDoc('x', 1, 1);
    for (let i = 0; cmds.length < SIZE; i++) cmds += `### U${i}\n\nUnknown types.\n\n**Parameters**:\n${Array.from({ length: 20 }, (_, j) => `- p${j}: [Missing${i}x${j}](./TYPES.md#missing)`).join('\n')}\n\n**Syntax**:\n\n\`\`\`\n/u\n\`\`\`\n\n**Response**:\n\nCmdOk: Ok.\n- type: "cmdOk"\n\n---\n`;
    add('thousands of unknown type references', { COMMANDS: cmds, TYPES: `${TYPES_HEAD}\n## T0\n\n**Record type**:\n- a: int\n` });
  }
  {
    const dir = path.join(root, 'synthetic');
    writeSynthetic(dir, corpusDocs, 6);
    const bytes = ['COMMANDS', 'TYPES', 'EVENTS'].reduce((n, k) => n + readFileSync(path.join(dir, `${k}.md`)).length, 0);
    specs.push({ name: `the latest era copied 6 times (${(bytes / 1e6).toFixed(2)} MB)`, dir });
  }
  return specs;
}

/** Runs `argv` under python3, which reports the wall time and the peak resident memory of the process. */
export function measured(argv, cwd) {
  const wrapper = 'import resource, subprocess, sys, time, json\nt = time.time()\nr = subprocess.run(sys.argv[1:], capture_output=True)\nprint(json.dumps({"s": time.time() - t, "kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "code": r.returncode, "err": r.stderr.decode()[-400:]}))';
  const r = spawnSync('python3', ['-c', wrapper, ...argv], { cwd, encoding: 'utf8' });
  return JSON.parse(r.stdout);
}
