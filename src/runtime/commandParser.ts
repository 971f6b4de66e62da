/**
 * Reads a command string back into its command and parameters: the inverse of the builders. It interprets the
 * bound syntax tree of each command (the one the builders are rendered from), never a grammar of its own.
 *
 * This module and its parts (./commandParser/*.ts) import nothing else: the TypeScript target copies them
 * verbatim into `parse.ts`, one after another without the imports between them, and the mock chat core runs them
 * as they are, so both read command strings with the same code. The Python target carries the same algorithm
 * (src/runtime/python/_command_parser.py); the tests hold the two to the same answers.
 *
 * Which reading wins, as the chat core's parsers decide: every character of a reading is consumed by fixed text
 * (a literal, keyword, enum value, on/off: the most specific), by a typed value (an integer, a number, JSON), or
 * by free text (the least specific). Of the readings that fit, the one whose sequence of kinds is greatest,
 * compared character by character from the left, wins: fixed text beats free text that would swallow the same
 * characters (`approved_relays=on` is the flag, not a file path), and an optional part that is consumed beats
 * free text that would take it (`<a>[ <b>]` reads "x y" as a="x", b="y"). Readings whose sequences are equal are
 * truly ambiguous: reported with every candidate, or, with `prefer: "first"`, the first in document order wins.
 *
 * The search is linear in the length of the string for every syntax shape: free text ends only where what
 * follows it in the syntax can start (found by `indexOf`, shortest first), a JSON value that ends the string is
 * handed to `JSON.parse` whole, joined lists are read in a loop, and once a reading is known every other one is
 * cut at its first character that is less specific.
 */
import { CommandParseError, type CommandTable, MIN_STEPS, type ParsedCommandValue, type ParseOptions, quote, type Run, STEPS_PER_CHAR } from './commandParser/syntax.js';
import { complete } from './commandParser/search.js';
import { compile, type Compiled } from './commandParser/compiled.js';
import { readDirect } from './commandParser/direct.js';
export { CommandParseError, type CommandTable, type ParamSpec, type ParsedCommandValue, type ParseOptions, type SyntaxOwner, type SyntaxTree, type TypeEntry } from './commandParser/syntax.js';
export { MAX_JSON_DEPTH, withinDepth } from './commandParser/values.js';
export { type DirectConv, type DirectOp, type DirectPath, directPathsOf } from './commandParser/direct.js';

export function parseCommandWith(table: CommandTable, text: string, options?: ParseOptions): ParsedCommandValue {
  const compiled = compile(table);
  const candidates = compiled.candidates(text);
  return readDirect(table, compiled.direct, candidates, text) ?? searchReadings(compiled, text, candidates, options);
}

/** The direct reading alone (see below): the answer, or null where the search must decide. */
export function parseCommandDirectly(table: CommandTable, text: string): ParsedCommandValue | null {
  const compiled = compile(table);
  return readDirect(table, compiled.direct, compiled.candidates(text), text);
}

/** The same answer as parseCommandWith, always found by the search (what the direct reading is checked against). */
export function parseCommandBySearch(table: CommandTable, text: string, options?: ParseOptions): ParsedCommandValue {
  const compiled = compile(table);
  return searchReadings(compiled, text, compiled.candidates(text), options);
}

function searchReadings(compiled: Compiled, text: string, candidates: readonly number[], options: ParseOptions | undefined): ParsedCommandValue {
  const r: Run = {
    text,
    n: text.length,
    steps: 0,
    budget: MIN_STEPS + STEPS_PER_CHAR * text.length,
    best: null,
    bestSegments: [],
    version: 0,
    ties: [],
    greater: false,
    spans: [],
    top: 0,
    record: false,
    furthest: -1,
    expected: [],
    closestBy: null,
    owner: '',
    jsonKey: NaN,
    jsonLast: null,
    json: null,
  };
  const search = (indices: readonly number[]): void => {
    for (const i of indices) {
      const command = compiled.commands[i]!;
      r.owner = command.name;
      r.top = 0;
      r.greater = false;
      command.matcher(r, 0, null, (pos, env) => complete(r, command.name, pos, env));
    }
  };
  try {
    // Only commands whose leading text the string starts with can match; the others are tried (for the closest
    // commands and the column of a failure) only when none does.
    search(candidates);
    if (!r.best) {
      r.record = true;
      r.closestBy = new Map();
      search(compiled.all);
    }
  } catch (e) {
    if (e instanceof RangeError) throw new CommandParseError(text, 'limit', 1, [r.owner], ['nesting too deep to read']);
    throw e;
  }
  const best = r.best as ParsedCommandValue | null;
  if (!best) {
    const closestBy = r.closestBy ?? new Map<string, number>();
    const most = Math.max(-1, ...closestBy.values());
    const closest = [...closestBy].filter(([, p]) => p === most).map(([name]) => name).slice(0, 3);
    throw new CommandParseError(text, 'no-match', r.furthest + 1, closest, r.expected);
  }
  if (r.ties.length === 0) return best;
  const all = [best, ...r.ties];
  const commands = [...new Set(all.map((x) => x.command))].sort((a, b) => compiled.order.get(a)! - compiled.order.get(b)!);
  if (options?.prefer !== 'first') throw new CommandParseError(text, 'ambiguous', 1, commands);
  const chosen = all.find((x) => x.command === commands[0])!;
  return { ...chosen, warning: `equally specific readings of ${commands.join(', ')} fit ${quote(text)}: took ${chosen.command}, the first the documents list` };
}
