/**
 * The runtime modules of the TypeScript target: parse.ts (command strings read back) and decode.ts (responses and
 * events checked forward-compatibly). Each is the interpreter of src/runtime, copied verbatim, followed by its
 * table built from the model and the typed entry points. Plain TypeScript, no dependencies.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ApiModel, DocKind } from '../../model/types.js';
import { clientMethods } from '../clientNames.js';
import { docCommentText, tsPropertyKey } from '../identifiers.js';
import { uncarriedParams } from '../../syntax/ast.js';
import { commandTableOf, decodeSchemaOf } from '../../runtime/tables.js';
import type { FileMap } from '../../writer/fileMap.js';
import { jsonString } from '../escape.js';
import { generatedHeader } from '../header.js';
import { listLiteral, recordLiteral, runtimeSource } from '../runtimeTables.js';
import { TsNames } from './tsNames.js';
import { remembered, type Memo } from '../../util/memo.js';

const RUNTIME_BANNER = (file: string) => `// ---- The interpreter, verbatim from simplex-api-codegen's ${file} (the mock chat core runs the same code) ----\n\n`;

/** `memo` (watch mode): parse.ts and decode.ts are written again only when their tables or types change. */
export function emitTypeScriptRuntime(model: ApiModel, files: Partial<Record<DocKind, string>>, memo?: Memo): { files: FileMap; diagnostics: Diagnostic[] } {
  const names = new TsNames(model);
  const header = generatedHeader(model, '//');
  const out: FileMap = new Map();

  // parse.ts
  const table = commandTableOf(model);
  const parsed = model.commands
    .filter((c) => c.syntax.ast)
    .map((c) => {
      const id = `CC.${names.command(c.name)}`;
      // Parameters the syntax cannot carry never come back: optional in the result's type.
      const uncarried = uncarriedParams(c.syntax.ast, c.params ?? []);
      const params = uncarried.length
        ? `Omit<${id}, ${uncarried.map(jsonString).join(' | ')}> & { ${uncarried.map((n) => `${tsPropertyKey(n)}?: ${id}[${jsonString(n)}] | undefined;`).join(' ')} }`
        : id;
      return `  | { command: ${jsonString(c.name)}; params: ${params} }`;
    });
  const parsedText = parsed.join('\n');
  out.set(
    'typescript/parse.ts',
    remembered(memo, 'typescript parse.ts', [header, parsedText, table.commands, table.types], () => [
      header,
      'import type * as CC from "./commands.js";',
      '',
      '/**',
      ' * A command read back from its string: which command, and its parameters. Parameters its syntax never writes',
      ' * (such as `incognito` where the syntax has no `incognito=`) are optional here: a string cannot carry them.',
      ' */',
      `export type ParsedCommand =${parsed.length ? '\n' + parsedText : ' never'};`,
      '',
      '/** The parameters of command `K` as parseCommand gives them back. */',
      'export type ParsedParams<K extends ParsedCommand["command"]> = Extract<ParsedCommand, { command: K }>["params"];',
      '',
      RUNTIME_BANNER('src/runtime/commandParser.ts') + runtimeSource('commandParser').trimEnd(),
      '',
      '/** Every command: its bound syntax (the one the builders render) and how each parameter is written. */',
      `const COMMANDS: CommandTable = {\n  commands: ${listLiteral(table.commands, 'ts', '  ')},\n  types: ${recordLiteral(table.types, 'ts', '  ')},\n};`,
      '',
      '/**',
      ' * Reads a command string back into its command and parameters: `parseCommand(CC.X.cmdString(x))` gives',
      ' * `{ command: "X", params: x }` (but for parameters the syntax does not carry). When several readings fit, the',
      ' * most specific wins (fixed text over free text, character by character from the left); equally specific',
      ' * readings throw CommandParseError with reason "ambiguous" and every candidate, or, with `{ prefer: "first" }`,',
      ' * give the command the documents list first with a `warning`. Throws CommandParseError with the column where',
      ' * matching failed and the closest commands when no command fits.',
      ' */',
      'export function parseCommand(text: string, options?: ParseOptions): ParsedCommand & { warning?: string } {',
      '  return parseCommandWith(COMMANDS, text, options) as unknown as ParsedCommand & { warning?: string };',
      '}',
      '',
    ].join('\n')),
  );

  // decode.ts
  const schema = decodeSchemaOf(model);
  const apiTypes = model.types.map((t) => `  ${jsonString(t.name)}: T.${names.type(t.name)};`);
  out.set(
    'typescript/decode.ts',
    remembered(memo, 'typescript decode.ts', [header, schema.types, schema.responses, schema.events, apiTypes.join('\n')], () => [
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
      '/** A response of the chat core, checked (see the rules above); unknown tags come back as they came (typed `CR.Undocumented` with `openUnions`). */',
      'export function decodeChatResponse(value: unknown, options?: DecodeOptions): ChatResponse {',
      "  return decodeWith(SCHEMA, 'ChatResponse', value, options) as ChatResponse;",
      '}',
      '',
      '/** An event of the chat core, checked (see the rules above); unknown tags come back as they came (typed `CEvt.Undocumented` with `openUnions`). */',
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
    ].join('\n')),
  );

  // client.ts: the protocol (verbatim) and one typed method per command.
  const { methods, diagnostics } = clientMethods(model, files, 'ts');
  const byName = new Map(model.commands.map((c) => [c.name, c]));
  const methodTexts = methods.map(({ command, method }) => {
    const c = byName.get(command)!;
    const id = names.command(command);
    const tags = [...new Set(c.responses.map((r) => r.tag).filter((t) => t !== 'chatCmdError'))];
    const optional = (c.params ?? []).every((p) => p.type.kind === 'optional');
    const doc = docCommentText([c.description, `Sends \`${c.syntax.text}\`; rejects with ChatCommandError on an error or an undocumented response.`].filter(Boolean).join('\n\n'));
    return [
      `  /**\n${doc.split('\n').map((l) => `   * ${l}`.trimEnd()).join('\n')}\n   */`,
      `  ${method}(params: CC.${id}${optional ? ' = {}' : ''}): Promise<Exclude<CC.${id}.Response, { type: "chatCmdError" }>> {`,
      `    return this.call(${jsonString(command)}, CC.${id}.cmdString(params), ${JSON.stringify(tags)});`,
      '  }',
    ].join('\n');
  });
  out.set(
    'typescript/client.ts',
    [
      header,
      'import * as CC from "./commands.js";',
      'import { decodeChatEvent, decodeChatResponse } from "./decode.js";',
      'import type { ChatEvent } from "./events.js";',
      'import type { ChatResponse } from "./responses.js";',
      '',
      RUNTIME_BANNER('src/runtime/chatClient.ts') + runtimeSource('chatClient').trimEnd(),
      '',
      '/**',
      ' * The chat core, typed: one method per command, resolving with that command\'s documented responses (but',
      ' * ChatCmdError, which rejects as ChatCommandError, as does any response the documents do not give for it).',
      ' */',
      'export class ChatClient extends ChatClientBase<ChatResponse, ChatEvent> {',
      '  /**',
      '   * Connects to the chat core\'s WebSocket API (default port 5225): `await ChatClient.connect("ws://127.0.0.1:5225", { WebSocket })`;',
      '   * with `reconnect`, a lost connection is opened again (and a chat core that is not up yet is waited for).',
      '   */',
      '  static async connect(url: string, options: ChatClientOptions = {}): Promise<ChatClient> {',
      '    ChatClientBase.checkOptions(options);',
      '    return new ChatClient(await WebSocketTransport.open(url, options), options);',
      '  }',
      '',
      '  /** A client over another transport: the chat library in this process (`FfiTransport` of ffi.ts), or your own. */',
      '  static over(transport: ChatTransport, options: ChatClientOptions = {}): ChatClient {',
      '    return new ChatClient(transport, options);',
      '  }',
      '',
      '  private constructor(transport: ChatTransport, options: ChatClientOptions) {',
      '    super(transport, options, { response: decodeChatResponse, event: decodeChatEvent });',
      '  }',
      ...methodTexts.map((m) => '\n' + m),
      '}',
      '',
    ].join('\n'),
  );
  // ffi.ts: the chat library in this process (needs the koffi package only when used).
  out.set('typescript/ffi.ts', [header, '', `// ---- Verbatim from simplex-api-codegen's src/runtime/ffiTransport.ts ----\n`, runtimeSource('ffiTransport').trimEnd(), ''].join('\n'));
  return { files: out, diagnostics };
}
