/**
 * The method names of the generated clients: `APISendMessages` → `apiSendMessages` (TypeScript) and
 * `api_send_messages` (Python). A command whose method would take a name the client itself uses (`send`, `close`,
 * `connect`…), or the name of another command's method, is a diagnostic: the class would be broken otherwise.
 */
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ApiModel, DocKind } from '../model/types.js';
import { locate } from '../model/validate.js';
import { OBJECT_PROTOTYPE_NAMES, PY_KEYWORDS } from './identifiers.js';

/** Lower-cases a command's leading capitals: `APISendMessages` → `apiSendMessages`, `ShowActiveUser` → `showActiveUser`. */
export function tsMethodName(command: string): string {
  const lead = /^[A-Z]+/.exec(command)?.[0] ?? '';
  // The last capital of a run that a lower-case letter follows starts the next word (`APISend` → `api` + `Send`).
  const n = lead.length > 1 && lead.length < command.length && /[a-z]/.test(command[lead.length]!) ? lead.length - 1 : lead.length;
  return command.slice(0, n).toLowerCase() + command.slice(n);
}

/** The Python method: snake_case of the TypeScript one (`apiSendMessages` → `api_send_messages`), keywords with `_`. */
export function pyMethodName(command: string): string {
  const snake = tsMethodName(command)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
  return PY_KEYWORDS.has(snake) ? `${snake}_` : snake;
}

/**
 * What a ChatClient instance itself has (src/runtime/chatClient.ts), and `then`, which would make the client a
 * thenable. (`connect` is static: upstream's command `Connect` becomes the instance method `connect` beside it.)
 */
const TS_MEMBERS = new Set([
  ...'constructor send call request receive fail warn on events close shut lost dispatch subscribed nextId pending handlers streams closed closing early giving transport options decoders timeoutMs maxQueuedEvents then'.split(' '),
  ...OBJECT_PROTOTYPE_NAMES,
]);
/**
 * What the Python ChatClient itself has (src/runtime/python/_client_core.py). `connect` is not among them:
 * when a command takes it (upstream's `Connect`), `ChatClient.connect(url)` still opens a client and
 * `client.connect(params)` sends the command.
 */
const PY_MEMBERS = new Set('send on events close over'.split(' '));

export interface ClientMethod {
  command: string;
  method: string;
}

/** Each command's method in one language, and a diagnostic for every name that cannot be a method. */
export function clientMethods(model: ApiModel, files: Partial<Record<DocKind, string>>, lang: 'ts' | 'py'): { methods: ClientMethod[]; diagnostics: Diagnostic[] } {
  const members = lang === 'ts' ? TS_MEMBERS : PY_MEMBERS;
  const name = lang === 'ts' ? tsMethodName : pyMethodName;
  const taken = new Map<string, string>();
  const methods: ClientMethod[] = [];
  const diagnostics: Diagnostic[] = [];
  const language = lang === 'ts' ? 'TypeScript' : 'Python';
  for (const c of model.commands) {
    if (!c.syntax.ast) continue;
    const method = name(c.name);
    const other = taken.get(method);
    const clash = members.has(method) || method.startsWith('_') ? `the ${language} ChatClient's own "${method}"` : other !== undefined ? `the method of ${other}` : undefined;
    if (clash) {
      diagnostics.push(
        diagnostic(DiagnosticCodes.CLIENT_NAME, ...locate(files, c.source), `command ${c.name}: its ${language} client method "${method}" would take the name of ${clash}`, {
          expected: 'a command name whose method is not one of ChatClient\'s own (connect, send, on, events, close) nor another command\'s',
          hint: 'rename the command in the spec, or generate without the clients\' target',
        }),
      );
      continue;
    }
    taken.set(method, c.name);
    methods.push({ command: c.name, method });
  }
  return { methods, diagnostics };
}
