/**
 * The reference's examples, drawn by the mock chat core's sampler from the model (seeded by the item's name, so
 * the same documents give the same bytes): a command string for each command, written from drawn parameters by
 * the syntax tree and kept only when the command parser reads it back as that command; a JSON value for each
 * response and event, kept only when the strict decoder takes it.
 */
import type { ApiModel, CommandDoc, TypeDoc } from '../../model/types.js';
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

export interface Examples {
  /** An example command string, or undefined when none of the draws reads back as the command. */
  command(c: CommandDoc): string | undefined;
  /** A response (by tag) or an event (by tag) as JSON text, indented; undefined when the model has no such tag. */
  response(tag: string): string | undefined;
  event(tag: string): string | undefined;
}

/** Each example's seed: a hash of what it shows. */
const seedOf = (text: string): number => hash(0, text);

export function examplesOf(model: ApiModel): Examples {
  const schema = decodeSchemaOf(model);
  const typeDocs = new Map<string, TypeDoc>(model.types.map((t) => [t.name, t]));
  let table: ReturnType<typeof commandTableOf> | undefined;
  // Many commands answer with the same responses (chatCmdError): each tag is drawn once.
  const kept = new Map<string, string | undefined>();
  const drawn = (start: 'ChatResponse' | 'ChatEvent', tag: string): string | undefined => {
    const key = `${start} ${tag}`;
    if (kept.has(key)) return kept.get(key);
    const members = start === 'ChatResponse' ? schema.responses : schema.events;
    let text: string | undefined;
    if (Object.hasOwn(members, tag)) {
      const sampler = new Sampler(schema, seedOf(key), new Map(), WORDS);
      const value = start === 'ChatResponse' ? sampler.response(tag) : sampler.event(tag);
      text = decodesStrictly(schema, start, value) ? JSON.stringify(value, null, 2) : undefined;
    }
    kept.set(key, text);
    return text;
  };
  return {
    command(c) {
      const ast = c.syntax.ast;
      if (!ast) return undefined;
      table ??= commandTableOf(model);
      const types = paramTypesOf(c.params ?? []);
      const required = paramsUsedOutsideOptional(ast);
      const joined = new Set(joinedParams(ast));
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
        if (readsBackAs(table, text, c.name)) return text;
      }
      return undefined;
    },
    response: (tag) => drawn('ChatResponse', tag),
    event: (tag) => drawn('ChatEvent', tag),
  };
}

function readsBackAs(table: ReturnType<typeof commandTableOf>, text: string, name: string): boolean {
  try {
    return parseCommandWith(table, text).command === name;
  } catch (e) {
    if (e instanceof CommandParseError) return false;
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
