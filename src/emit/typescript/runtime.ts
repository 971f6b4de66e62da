/**
 * The runtime modules of the TypeScript target: parse.ts (command strings read back) and decode.ts (responses and
 * events checked forward-compatibly). Each is the interpreter of src/runtime, copied verbatim, followed by its
 * table built from the model and the typed entry points. Plain TypeScript, no dependencies.
 */
import type { ApiModel } from '../../model/types.js';
import { commandTableOf, decodeSchemaOf } from '../../runtime/tables.js';
import type { FileMap } from '../../writer/fileMap.js';
import { jsonString } from '../escape.js';
import { generatedHeader } from '../header.js';
import { listLiteral, recordLiteral, runtimeSource } from '../runtimeTables.js';
import { TsNames } from './tsNames.js';

const RUNTIME_BANNER = (file: string) => `// ---- The interpreter, verbatim from simplex-api-codegen's ${file} (the mock chat core runs the same code) ----\n\n`;

export function emitTypeScriptRuntime(model: ApiModel): FileMap {
  const names = new TsNames(model);
  const header = generatedHeader(model, '//');
  const out: FileMap = new Map();

  // parse.ts
  const table = commandTableOf(model);
  const parsed = model.commands.filter((c) => c.syntax.ast).map((c) => `  | { command: ${jsonString(c.name)}; params: CC.${names.command(c.name)} }`);
  out.set(
    'typescript/parse.ts',
    [
      header,
      'import type * as CC from "./commands.js";',
      '',
      '/** A command read back from its string: which command, and its parameters (those the syntax carries). */',
      `export type ParsedCommand =${parsed.length ? '\n' + parsed.join('\n') : ' never'};`,
      '',
      RUNTIME_BANNER('src/runtime/commandParser.ts') + runtimeSource('commandParser').trimEnd(),
      '',
      '/** Every command: its bound syntax (the one the builders render) and how each parameter is written. */',
      `const COMMANDS: CommandTable = {\n  commands: ${listLiteral(table.commands, 'ts', '  ')},\n  types: ${recordLiteral(table.types, 'ts', '  ')},\n};`,
      '',
      '/**',
      ' * Reads a command string back into its command and parameters: `parseCommand(CC.X.cmdString(x))` gives',
      ' * `{ command: "X", params: x }` (but for parameters the syntax does not carry). Throws CommandParseError with',
      ' * the column where matching failed and the closest commands, or with reason "ambiguous" when two readings fit.',
      ' */',
      'export function parseCommand(text: string): ParsedCommand {',
      '  return parseCommandWith(COMMANDS, text) as unknown as ParsedCommand;',
      '}',
      '',
    ].join('\n'),
  );

  // decode.ts
  const schema = decodeSchemaOf(model);
  const apiTypes = model.types.map((t) => `  ${jsonString(t.name)}: T.${names.type(t.name)};`);
  out.set(
    'typescript/decode.ts',
    [
      header,
      'import type * as T from "./types.js";',
      'import type { ChatResponse } from "./responses.js";',
      'import type { ChatEvent } from "./events.js";',
      '',
      RUNTIME_BANNER('src/runtime/decoder.ts') + runtimeSource('decoder').trimEnd(),
      '',
      '/** What the documents say of every type, response and event. */',
      `const SCHEMA: Schema = {\n  types: ${recordLiteral(schema.types, 'ts', '  ')},\n  responses: ${recordLiteral(schema.responses, 'ts', '  ')},\n  events: ${recordLiteral(schema.events, 'ts', '  ')},\n};`,
      '',
      '/** A response of the chat core, checked (see the rules above); unknown tags come back as `CR.Unknown`. */',
      'export function decodeChatResponse(value: unknown, options?: DecodeOptions): ChatResponse {',
      "  return decodeWith(SCHEMA, 'ChatResponse', value, options) as ChatResponse;",
      '}',
      '',
      '/** An event of the chat core, checked (see the rules above); unknown tags come back as `CEvt.Unknown`. */',
      'export function decodeChatEvent(value: unknown, options?: DecodeOptions): ChatEvent {',
      "  return decodeWith(SCHEMA, 'ChatEvent', value, options) as ChatEvent;",
      '}',
      '',
      '/** Every API type by its documented name. */',
      `export interface ApiTypes {${apiTypes.length ? '\n' + apiTypes.join('\n') + '\n' : ''}}`,
      '',
      '/** A decoder per API type: `decoders.ChatItem(value)`. */',
      'export const decoders = Object.freeze(',
      "  Object.fromEntries(Object.keys(SCHEMA.types).map((name) => [name, (value: unknown, options?: DecodeOptions) => decodeWith(SCHEMA, ['ref', name], value, options)])),",
      ') as unknown as { readonly [K in keyof ApiTypes]: (value: unknown, options?: DecodeOptions) => ApiTypes[K] };',
      '',
    ].join('\n'),
  );
  return out;
}
