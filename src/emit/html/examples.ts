/**
 * The reference's examples, drawn by the mock chat core's sampler from the model (seeded by the item's name, so
 * the same documents give the same bytes): a command string for each command, written from drawn parameters by
 * the syntax tree and kept only when the command parser reads it back as that command; a JSON value for each
 * response and event, kept only when the strict decoder takes it.
 */
import type { ApiModel, CommandDoc, Field, TypeDoc } from '../../model/types.js';
import { unwrapOptional } from '../../parse/typeExpr.js';
import { hash, Sampler, seededRandom } from '../../mock/sample.js';
import { CommandParseError, parseCommandWith } from '../../runtime/commandParser.js';
import { decodeWith, type Schema } from '../../runtime/decoder.js';
import { commandTableOf, decodeSchemaOf, schemaTypeOf } from '../../runtime/tables.js';
import { joinedParams, paramsUsedOutsideOptional } from '../../syntax/ast.js';
import { paramTypesOf } from '../../syntax/snippets.js';
import { writeSyntax } from '../../syntax/write.js';

/** Strings the examples draw: words a bot would see, none that needs quoting in a command string. */
const WORDS = ['alice', 'hello', 'team', 'bob', '👍', 'news'];
/** Draws per command before it goes without an example string (a syntax no drawn value satisfies). */
const ATTEMPTS = 24;
/** Draws that read as several commands at once before a command goes without an example string. */
const MAX_AMBIGUOUS = 3;

export interface Examples {
  /** An example command string, or undefined when none of the draws reads back as the command. */
  command(c: CommandDoc): string | undefined;
  /** A response (by tag) or an event (by tag) as JSON text, indented; undefined when the model has no such tag. */
  response(tag: string): string | undefined;
  event(tag: string): string | undefined;
}

/** Each example's seed: a hash of what it shows. */
const seedOf = (text: string): number => hash(0, text);

/**
 * The examples of the last run and what they were drawn from (the decode schema, the command table and the
 * parameters' types): a watch run whose edit changed none of it (a description) draws nothing again. The tables'
 * parts are the same objects while they are equal (a watch session keeps them, see withSharedTables), and each
 * command's parameters are written out once (by their list, which an unchanged command keeps).
 */
let lastRun: { source: readonly unknown[]; drawn: Map<string, string | undefined>; commands: Map<string, string | undefined> } | undefined;
const paramsJson = new WeakMap<readonly Field[], string>();
const NO_PARAMS: readonly Field[] = [];

function paramsKey(model: ApiModel): string {
  return model.commands
    .map((c) => {
      const params = c.params ?? NO_PARAMS;
      let json = paramsJson.get(params);
      if (json === undefined) paramsJson.set(params, (json = JSON.stringify(params.map((p) => [p.name, p.type]))));
      return json;
    })
    .join('\n');
}

export function examplesOf(model: ApiModel): Examples {
  const schema = decodeSchemaOf(model);
  const typeDocs = new Map<string, TypeDoc>(model.types.map((t) => [t.name, t]));
  const table = commandTableOf(model);
  const source = [schema.types, schema.responses, schema.events, table.commands, table.types, paramsKey(model)];
  if (lastRun === undefined || lastRun.source.some((part, i) => !Object.is(part, source[i]))) lastRun = { source, drawn: new Map(), commands: new Map() };
  // Many commands answer with the same responses (chatCmdError): each tag is drawn once.
  const kept = lastRun.drawn;
  const commandTexts = lastRun.commands;
  const drawn = (start: 'ChatResponse' | 'ChatEvent', tag: string): string | undefined => {
    const id = `${start} ${tag}`;
    if (kept.has(id)) return kept.get(id);
    const members = start === 'ChatResponse' ? schema.responses : schema.events;
    let text: string | undefined;
    if (Object.hasOwn(members, tag)) {
      const sampler = new Sampler(schema, seedOf(id), new Map(), WORDS);
      const value = start === 'ChatResponse' ? sampler.response(tag) : sampler.event(tag);
      text = decodesStrictly(schema, start, value) ? JSON.stringify(value, null, 2) : undefined;
    }
    kept.set(id, text);
    return text;
  };
  // Commands of the very same syntax read as each other whatever is drawn: no example string can be one of them.
  let syntaxes: Map<string, number> | undefined;
  const sharesSyntax = (c: CommandDoc): boolean => {
    if (!syntaxes) {
      syntaxes = new Map();
      for (const d of model.commands) if (d.syntax.ast) syntaxes.set(JSON.stringify(d.syntax.ast), (syntaxes.get(JSON.stringify(d.syntax.ast)) ?? 0) + 1);
    }
    return syntaxes.get(JSON.stringify(c.syntax.ast))! > 1;
  };

  return {
    command(c) {
      if (!commandTexts.has(c.name)) commandTexts.set(c.name, commandExample(c));
      return commandTexts.get(c.name);
    },
    response: (tag) => drawn('ChatResponse', tag),
    event: (tag) => drawn('ChatEvent', tag),
  };

  function commandExample(c: CommandDoc): string | undefined {
    const ast = c.syntax.ast;
    if (!ast || sharesSyntax(c)) return undefined;
    const types = paramTypesOf(c.params ?? []);
    const required = paramsUsedOutsideOptional(ast);
    const joined = new Set(joinedParams(ast));
    let ambiguous = 0;
    for (let k = 0; k < ATTEMPTS; k++) {
      const seed = seedOf(`command ${c.name} ${k}`);
      const sampler = new Sampler(schema, seed, new Map(), WORDS);
      const random = seededRandom(seed ^ 0x5bd1e995);
      const values: Record<string, unknown> = {};
      for (const p of c.params ?? []) {
        const { type, optional } = unwrapOptional(p.type);
        // Optional parameters: all of them in the first draw (the whole syntax shown), then half the time.
        if (optional && !required.has(p.name) && k > 0 && random() < 0.5) continue;
        const st = schemaTypeOf(type, typeDocs);
        let value = sampler.value(st, 1);
        if (joined.has(p.name) && Array.isArray(value) && value.length === 0 && Array.isArray(st)) value = [sampler.value(st[1] as never, 2)];
        values[p.name] = value;
      }
      let text: string;
      try {
        text = writeSyntax(ast, values, types, typeDocs);
      } catch {
        continue;
      }
      const read = readBack(table, text, c.name);
      if (read === 'ok') return text;
      // A syntax that other commands share reads as all of them whatever is drawn (and finding that out costs a
      // search through them): after a few such draws there is no example to find.
      if (read === 'ambiguous' && ++ambiguous >= MAX_AMBIGUOUS) return undefined;
    }
    return undefined;
  }
}

/** How the command parser reads an example back: as the command, or why not. */
function readBack(table: ReturnType<typeof commandTableOf>, text: string, name: string): 'ok' | 'other' | CommandParseError['reason'] {
  try {
    return parseCommandWith(table, text).command === name ? 'ok' : 'other';
  } catch (e) {
    if (e instanceof CommandParseError) return e.reason;
    throw e;
  }
}

function decodesStrictly(schema: Schema, start: 'ChatResponse' | 'ChatEvent', value: unknown): boolean {
  try {
    decodeWith(schema, start, value, { strict: true });
    return true;
  } catch {
    return false;
  }
}
