/** A table compiled once: each command's matcher and direct reading, and the commands a string can be. */
import { type CommandTable, type Follow, type Matcher, type SyntaxTree } from './syntax.js';
import { Compiler } from './compile.js';
import { directPathsOf, type DirectReader } from './direct.js';

// ---- Compiling a table: every node becomes a matcher that knows what can follow it ----

export interface Compiled {
  commands: { name: string; matcher: Matcher }[];
  all: number[];
  /** Commands in document order, for `prefer: "first"`. */
  order: Map<string, number>;
  /** The commands a string can be (by its leading text). */
  candidates: (text: string) => number[];
  /** Each command's direct reading, or null. */
  direct: (DirectReader | null)[];
}

export const compiledTables = new WeakMap<CommandTable, Compiled>();

export let lastTable: CommandTable | null = null;
export let lastCompiled: Compiled | null = null;

export function compile(table: CommandTable): Compiled {
  if (table === lastTable) return lastCompiled!;
  let compiled = compiledTables.get(table);
  if (!compiled) {
    const c = new Compiler(table);
    const end: Follow = { lits: [], any: false, end: true };
    const lead = (node: SyntaxTree): string => (node.kind === 'text' ? node.value : node.kind === 'seq' && node.items[0] ? lead(node.items[0]) : '');
    const leading = table.commands.map((cmd) => lead(cmd.syntax));
    // By the first word of the leading text when it has a space after it; the rest are checked one by one.
    const byWord = new Map<string, number[]>();
    const other: number[] = [];
    leading.forEach((l, i) => {
      const space = l.indexOf(' ');
      if (space < 0) other.push(i);
      else byWord.set(l.slice(0, space), [...(byWord.get(l.slice(0, space)) ?? []), i]);
    });
    compiled = {
      commands: table.commands.map((cmd) => ({ name: cmd.name, matcher: c.node(cmd.syntax, cmd.params, end) })),
      all: table.commands.map((_, i) => i),
      direct: directPathsOf(table).map((d) => d && { re: new RegExp(d.rest ? `^(?:${d.re})` : `^(?:${d.re})$`), ops: d.ops, rest: d.rest }),
      order: new Map(table.commands.map((cmd, i) => [cmd.name, i])),
      candidates: (text) => {
        const space = text.indexOf(' ');
        const word = byWord.get(space < 0 ? text : text.slice(0, space));
        const out: number[] = [];
        for (const i of word ?? []) if (text.startsWith(leading[i]!)) out.push(i);
        for (const i of other) if (text.startsWith(leading[i]!)) out.push(i);
        return other.length && word ? out.sort((a, b) => a - b) : out;
      },
    };
    compiledTables.set(table, compiled);
  }
  lastTable = table;
  lastCompiled = compiled;
  return compiled;
}
