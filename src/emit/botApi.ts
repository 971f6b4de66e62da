/**
 * The bot framework's binding to the API: each step the framework takes (read the active user, create the
 * address, send a message…) bound to the command of the model that does it, with the command's parameters
 * filled from the step's arguments and every other required parameter given its neutral value (a flag off, an
 * empty list or map). The framework itself (src/runtime/bot.ts, src/runtime/python/bot.py) calls
 * only these steps, so a new API version regenerates the binding, and `changes` marks the commands it uses.
 */
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ApiModel, CommandDoc, DocKind, Field, TypeExpr } from '../model/types.js';
import { locate } from '../model/validate.js';
import { opaqueNamesOf } from '../runtime/tables.js';
import { formatTypeExpr, unwrapOptional } from '../parse/typeExpr.js';
import { clientMethods } from './clientNames.js';
import { jsonString } from './escape.js';

/** Where a parameter's value comes from: a step's argument, a constant, or a record built the same way. */
type Source = { arg: string } | { value: boolean } | { record: string; fields: Readonly<Record<string, Source>> };

interface BotStep {
  /** The binding's method (TypeScript's name; Python's is its snake_case). */
  name: string;
  command: string;
  /** The step's arguments, with their types in each language and as the documents write the type. */
  args: readonly { name: string; ts: string; py: string; doc: string }[];
  params: Readonly<Record<string, Source>>;
  /** Steps the framework can do without: bound to undefined/None when the documents lack the command. */
  optional?: true;
}

const arg = (name: string): Source => ({ arg: name });

/** The steps, in the order the framework takes them at start. */
export const BOT_STEPS: readonly BotStep[] = [
  { name: 'startChat', command: 'StartChat', args: [], params: { mainApp: { value: true }, enableSndFiles: { value: true } }, optional: true },
  { name: 'activeUser', command: 'ShowActiveUser', args: [], params: {} },
  { name: 'createActiveUser', command: 'CreateActiveUser', args: [{ name: 'profile', ts: 'T.Profile', py: 'T.Profile', doc: 'Profile' }], params: { newUser: { record: 'NewUser', fields: { profile: arg('profile') } } } },
  { name: 'address', command: 'APIShowMyAddress', args: [{ name: 'userId', ts: 'number', py: 'int', doc: 'int64' }], params: { userId: arg('userId') } },
  { name: 'createAddress', command: 'APICreateMyAddress', args: [{ name: 'userId', ts: 'number', py: 'int', doc: 'int64' }], params: { userId: arg('userId') } },
  {
    name: 'setAddressSettings',
    command: 'APISetAddressSettings',
    args: [{ name: 'userId', ts: 'number', py: 'int', doc: 'int64' }, { name: 'settings', ts: 'T.AddressSettings', py: 'T.AddressSettings', doc: 'AddressSettings' }],
    params: { userId: arg('userId'), settings: arg('settings') },
  },
  { name: 'updateProfile', command: 'APIUpdateProfile', args: [{ name: 'userId', ts: 'number', py: 'int', doc: 'int64' }, { name: 'profile', ts: 'T.Profile', py: 'T.Profile', doc: 'Profile' }], params: { userId: arg('userId'), profile: arg('profile') } },
  {
    name: 'sendMessages',
    command: 'APISendMessages',
    args: [{ name: 'sendRef', ts: 'T.ChatRef', py: 'T.ChatRef', doc: 'ChatRef' }, { name: 'composedMessages', ts: 'T.ComposedMessage[]', py: 'List[T.ComposedMessage]', doc: '[ComposedMessage]' }],
    params: { sendRef: arg('sendRef'), composedMessages: arg('composedMessages') },
  },
  {
    name: 'react',
    command: 'APIChatItemReaction',
    args: [{ name: 'chatRef', ts: 'T.ChatRef', py: 'T.ChatRef', doc: 'ChatRef' }, { name: 'chatItemId', ts: 'number', py: 'int', doc: 'int64' }, { name: 'add', ts: 'boolean', py: 'bool', doc: 'bool' }, { name: 'reaction', ts: 'T.MsgReaction', py: 'T.MsgReaction', doc: 'MsgReaction' }],
    params: { chatRef: arg('chatRef'), chatItemId: arg('chatItemId'), add: arg('add'), reaction: arg('reaction') },
  },
  {
    name: 'deleteItems',
    command: 'APIDeleteChatItem',
    args: [{ name: 'chatRef', ts: 'T.ChatRef', py: 'T.ChatRef', doc: 'ChatRef' }, { name: 'chatItemIds', ts: 'number[]', py: 'List[int]', doc: '[int64]' }, { name: 'deleteMode', ts: 'T.CIDeleteMode', py: 'T.CIDeleteMode', doc: 'CIDeleteMode' }],
    params: { chatRef: arg('chatRef'), chatItemIds: arg('chatItemIds'), deleteMode: arg('deleteMode') },
  },
  {
    name: 'deleteMemberItems',
    command: 'APIDeleteMemberChatItem',
    args: [{ name: 'groupId', ts: 'number', py: 'int', doc: 'int64' }, { name: 'chatItemIds', ts: 'number[]', py: 'List[int]', doc: '[int64]' }],
    params: { groupId: arg('groupId'), chatItemIds: arg('chatItemIds') },
  },
];

/** The commands the generated bot framework sends (what `changes` marks). */
export const BOT_COMMANDS: ReadonlySet<string> = new Set(BOT_STEPS.map((s) => s.command));

/** The commands whose presence says that the documents are the bot API (a fixture with a few commands is not). */
const BOT_API_MARKS = ['ShowActiveUser', 'APISendMessages'];
const BOT_API_MARK = BOT_API_MARKS[1]!;
/**
 * The types the framework names (its signatures; it reads and writes values through views of its own, so that
 * their fields may differ between API versions).
 */
const BOT_TYPES = ['AChatItem', 'ChatInfo', 'MsgContent', 'ChatRef', 'Contact', 'GroupInfo', 'GroupMember', 'User', 'Profile', 'AddressSettings', 'ComposedMessage', 'MsgReaction', 'CIDeleteMode'];
/** The event the framework reads messages from. */
const BOT_EVENT = 'newChatItems';

export interface BotBinding {
  /** Each step's method text, or undefined where an optional step's command is missing. */
  ts: string;
  py: string;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A parameter's value when the framework does not give it: a flag off, nothing in a list or map. */
function neutral(t: TypeExpr): { ts: string; py: string } | undefined {
  if (t.kind === 'primitive' && t.name === 'bool') return { ts: 'false', py: 'False' };
  if (t.kind === 'list') return { ts: '[]', py: '[]' };
  if (t.kind === 'map') return { ts: '{}', py: '{}' };
  return undefined;
}

type Lang = 'ts' | 'py';

/**
 * The object literal of a step's parameters, or the reason it cannot be written (a required parameter the
 * framework has no value for, or a record the documents do not have).
 */
function literalOf(model: ApiModel, fields: readonly Field[], given: Readonly<Record<string, Source>>, args: BotStep['args'], lang: Lang, where: string): { text: string } | { problem: string } {
  const entries: string[] = [];
  for (const f of fields) {
    const source = given[f.name];
    const key = jsonString(f.name);
    if (source === undefined) {
      if (f.type.kind === 'optional') continue;
      const value = neutral(f.type);
      if (!value) return { problem: `${where} requires "${f.name}" (${f.type.kind === 'ref' || f.type.kind === 'primitive' ? f.type.name : f.type.kind}), which the bot framework has no value for` };
      entries.push(`${key}: ${value[lang]}`);
      continue;
    }
    const documented = formatTypeExpr(unwrapOptional(f.type).type, (name) => name);
    if ('arg' in source) {
      const wanted = args.find((a) => a.name === source.arg)!.doc;
      if (documented !== wanted) return { problem: `${where} takes "${f.name}" as ${documented}, where the bot framework gives ${wanted}` };
      entries.push(`${key}: ${lang === 'ts' ? source.arg : snake(source.arg)}`);
    } else if ('value' in source) {
      if (documented !== 'bool') return { problem: `${where} takes "${f.name}" as ${documented}, where the bot framework gives bool` };
      entries.push(`${key}: ${lang === 'ts' ? String(source.value) : source.value ? 'True' : 'False'}`);
    }
    else {
      const record = model.types.find((t) => t.name === source.record);
      if (!record || record.kind !== 'record') return { problem: `${where} takes the record ${source.record}, which the documents do not define` };
      if (documented !== source.record) return { problem: `${where} takes "${f.name}" as ${formatTypeExpr(f.type, (name) => name)}, not ${source.record}` };
      const inner = literalOf(model, record.fields, source.fields, args, lang, `${where} (${source.record})`);
      if ('problem' in inner) return inner;
      entries.push(`${key}: ${inner.text}`);
    }
  }
  for (const name of Object.keys(given)) if (!fields.some((f) => f.name === name)) return { problem: `${where} has no parameter "${name}"` };
  return { text: `{ ${entries.join(', ')} }`.replace('{  }', '{}') };
}

/**
 * The binding of every step to the model's commands, in both languages; undefined (and a warning saying why)
 * when the documents are the bot API but a step cannot be bound, and undefined without a word when they are not
 * the bot API at all.
 */
export function bindBotSteps(model: ApiModel, files: Partial<Record<DocKind, string>>): { binding?: BotBinding; diagnostics: Diagnostic[] } {
  const byName = new Map<string, CommandDoc>(model.commands.map((c) => [c.name, c]));
  const mark = byName.get(BOT_API_MARK);
  // The framework reads events: without EVENTS.md (a partial input) it is left out without a word.
  if (!mark || !BOT_API_MARKS.every((m) => byName.has(m)) || !model.sources.EVENTS) return { diagnostics: [] };
  const methods = { ts: new Map(clientMethods(model, files, 'ts').methods.map((m) => [m.command, m.method])), py: new Map(clientMethods(model, files, 'py').methods.map((m) => [m.command, m.method])) };
  const lines: Record<Lang, string[]> = { ts: [], py: [] };
  const problems: string[] = [];
  if (!model.events.some((e) => e.tag === BOT_EVENT)) problems.push(`the documents have no event ${BOT_EVENT}, which brings the messages`);
  const declared = new Set([...model.types.map((t) => t.name), ...opaqueNamesOf(model)]);
  const undeclared = BOT_TYPES.filter((t) => !declared.has(t));
  if (undeclared.length) problems.push(`the documents have no type ${undeclared.join(', ')}`);
  for (const step of BOT_STEPS) {
    const c = byName.get(step.command);
    for (const lang of ['ts', 'py'] as const) {
      const name = lang === 'ts' ? step.name : snake(step.name);
      const method = methods[lang].get(step.command);
      const absent = !c ? `the documents have no command ${step.command}` : !method ? `${step.command} has no client method` : undefined;
      if (absent) {
        if (!step.optional) {
          if (lang === 'ts') problems.push(absent);
          continue;
        }
        lines[lang].push(lang === 'ts' ? `    ${name}: undefined as (() => Promise<unknown>) | undefined,` : `    ${name} = None`);
        continue;
      }
      const literal = literalOf(model, c!.params ?? [], step.params, step.args, lang, `command ${step.command}`);
      if ('problem' in literal) {
        if (lang === 'ts') problems.push(literal.problem);
        continue;
      }
      const args = step.args.map((a) => (lang === 'ts' ? `${a.name}: ${a.ts}` : `${snake(a.name)}: ${a.py}`));
      if (lang === 'ts') lines.ts.push(`    /** ${step.command}. */`, `    ${name}: (${args.join(', ')}) => client.${method}(${literal.text}),`);
      else
        lines.py.push(
          `    async def ${name}(self${args.map((a) => `, ${a}`).join('')}) -> Any:`,
          `        """${step.command}."""`,
          `        return await self._client.${method}(${literal.text})`,
          '',
        );
    }
  }
  if (problems.length > 0) {
    return {
      diagnostics: [
        diagnostic(DiagnosticCodes.BOT_UNBOUND, ...locate(files, (byName.get(problemCommand(problems[0]!)) ?? mark).source), `the bot framework (bot.ts, bot.py) is not generated: ${problems.join('; ')}`, {
          severity: 'warning',
          expected: `the commands the framework sends (${[...BOT_COMMANDS].join(', ')}), with no required parameter but those it gives and flags, lists and maps`,
          hint: 'the rest of the output is generated as usual; the framework needs the commands of a complete bot API version',
        }),
      ],
    };
  }
  return { binding: { ts: lines.ts.join('\n'), py: lines.py.join('\n').trimEnd() }, diagnostics: [] };
}

/** The command a problem names (its position is where the warning points). */
function problemCommand(problem: string): string {
  return /command (\w+)/.exec(problem)?.[1] ?? BOT_API_MARK;
}
