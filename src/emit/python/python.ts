/**
 * The Python target: a package of TypedDicts, Literal enums, union aliases and `X_cmd_string` builders,
 * laid out by the `python/*.hbs` templates. Builders bind parameters to locals and render the same strings as
 * the TypeScript builders.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ApiModel, DocKind, Field, TypeDoc } from '../../model/types.js';
import { remembered, type EmitMemo } from '../memo.js';
import { clientMethods } from '../clientNames.js';
import { joinedParams, uncarriedParams } from '../../syntax/ast.js';
import { typeSyntaxParams } from '../../syntax/snippets.js';
import type { FileMap } from '../../writer/fileMap.js';
import { generatedHeader } from '../header.js';
import { jsonString } from '../escape.js';
import { directPathsOf } from '../../runtime/commandParser.js';
import { commandTableOf, decodeSchemaOf, opaqueNamesOf } from '../../runtime/tables.js';
import { listLiteral, PYTHON_RUNTIME_MODULES, pythonRuntimeSource, recordLiteral } from '../runtimeTables.js';
import { defaultDistName, lineCommentText, NameScope, PY_KEYWORDS, PY_RESERVED, pyIdentifier, TypeNames } from '../identifiers.js';
import type { TemplateSet } from '../templates.js';
import { builder, type PyBuilder } from './pyBuilder.js';
import { pyDocstring, pyTypeOf, type PyQualify } from './pyTypes.js';
import { pruneUnusedImports, pythonAllOf } from './imports.js';

interface PyField {
  /** The key as a Python string literal (for the functional TypedDict form). */
  key: string;
  name: string;
  type: string;
  note: string;
}
interface PyClass {
  name: string;
  doc: string;
  /** Functional form `X = TypedDict("X", {...})`, needed when a key is not an identifier. */
  functional: boolean;
  fields: PyField[];
}
interface PyDecl {
  class?: PyClass;
  alias?: { name: string; value: string; doc: string };
  builder?: PyBuilder;
}

class PyNames extends TypeNames {
  constructor(types: readonly TypeDoc[], opaque: readonly string[]) {
    super(types, opaque, pyIdentifier, [...PY_RESERVED, 'CommandParameterError']);
  }
  /** The builder of a type with a syntax block: `ChatRef_cmd_string`. */
  typeBuilder(name: string): string {
    return this.scope.name(`${name} cmd_string`, `${this.type(name)}_cmd_string`);
  }
}

/** `Literal["a", "b"]` of a list of strings (`Any` when there are none). */
function literalOf(values: readonly string[]): string {
  return values.length ? `Literal[${values.map((v) => jsonString(v)).join(', ')}]` : 'Any';
}

/** `Union[A, B]`, or the one member itself (a one-member Union is an error to type checkers). */
function pyUnion(members: readonly string[]): string {
  return members.length === 0 ? 'Any' : members.length === 1 ? members[0]! : `Union[${members.join(', ')}]`;
}

/** The description with `Since: v6.4` when a history is configured (of a part only when it is newer than its owner). */
function withSince(description: string, since: string | undefined, ownerSince?: string): string {
  return since === undefined || since === ownerSince ? description : [description, `Since: ${since}`].filter(Boolean).join('\n\n');
}

function pyClass(name: string, description: string, fields: readonly Field[], qualify: PyQualify, extraNotes: (f: Field) => string[] = () => [], ownerSince?: string): PyClass {
  // Keywords can never be class-syntax TypedDict keys.
  const functional = fields.some((f) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name) || PY_KEYWORDS.has(f.name));
  return {
    name,
    doc: description ? pyDocstring(description, '    ') : '',
    functional,
    fields: fields.map((f) => {
      const t = pyTypeOf(f.type, qualify);
      const type = t.optional ? `NotRequired[${t.type}]` : t.type;
      const notes = [...t.notes, ...extraNotes(f), ...(f.since !== undefined && f.since !== ownerSince ? [`since ${f.since}`] : [])];
      return {
        key: jsonString(f.name),
        name: f.name,
        type: functional ? jsonString(type) : type,
        note: notes.length ? `  # ${lineCommentText(notes.join(', '))}` : '',
      };
    }),
  };
}

/** _types.py and the names it gives the types: a function of the types and the opaque names alone. */
function pythonTypesModule(types: readonly TypeDoc[], opaque: readonly string[], templates: TemplateSet, header: string): { text: string; names: PyNames } {
  const names = new PyNames(types, opaque);
  const typeFnIn = (prefix: string) => (t: string) => (names.known.get(t)?.syntax ? `${prefix}${names.typeBuilder(t)}` : undefined);
  // _types.py
  const typeDecls: PyDecl[] = [];
  const exported: string[] = [];
  for (const t of types) {
    const name = names.type(t.name);
    const qualify: PyQualify = (n) => names.type(n);
    exported.push(name);
    if (t.kind === 'record') typeDecls.push({ class: pyClass(name, withSince(t.description, t.since), t.fields, qualify, undefined, t.since) });
    else if (t.kind === 'enum') {
      const newer = t.values.filter((v) => v.since !== undefined && v.since !== t.since).map((v) => `${jsonString(v.value)} since ${v.since}`);
      const doc = withSince(t.description, t.since);
      typeDecls.push({ alias: { name, value: t.values.length ? `Literal[${t.values.map((v) => jsonString(v.value)).join(', ')}]` : 'Any', doc: newer.length ? `${doc}\n\nValues: ${newer.join(', ')}.` : doc } });
    }
    else {
      // Members as upstream's package names them: `<Union>_<tag>` (`ChatInfo_direct`), with the `<Union>_Tag` literal.
      const members = t.members.map((m) => {
        const id = names.scope.name(`${t.name}.${m.name}`, `${name}_${pyIdentifier(m.tag || m.name)}`);
        exported.push(id);
        typeDecls.push({ class: pyClass(id, withSince('', m.since, t.since), m.fields, qualify, undefined, m.since ?? t.since) });
        return id;
      });
      typeDecls.push({ alias: { name, value: pyUnion(members), doc: withSince(t.description, t.since) } });
      const tagAlias = names.scope.name(`${t.name} Tag`, `${name}_Tag`);
      exported.push(tagAlias);
      typeDecls.push({ alias: { name: tagAlias, value: literalOf(t.members.map((m) => m.tag)), doc: '' } });
    }
    if (t.syntax?.ast) {
      const fn = names.typeBuilder(t.name);
      exported.push(fn);
      const absent = new Set(t.kind === 'union' ? t.members.flatMap((m) => typeSyntaxParams(t).filter((f) => !m.fields.some((g) => g.name === f.name)).map((f) => f.name)) : []);
      typeDecls.push({ builder: builder(t.name, fn, name, t.syntax, typeSyntaxParams(t), typeFnIn(''), t.kind === 'enum', 'CommandParameterError', absent) });
    }
  }
  for (const o of names.opaque) {
    exported.push(names.type(o));
    typeDecls.push({ alias: { name: names.type(o), value: 'Any', doc: `Opaque: ${o} is not defined in the spec's TYPES.md.` } });
  }
  return { text: templates.render('python/_types.py.hbs', { header, decls: typeDecls, all: [...exported, 'CommandParameterError'].map((e) => jsonString(e)) }), names };
}

/** What pyproject.toml says of the distribution. */
export interface PythonDist {
  name: string;
  version: string;
}

export function emitPython(model: ApiModel, templates: TemplateSet, pkg: string, files: Partial<Record<DocKind, string>> = {}, dist: PythonDist = { name: defaultDistName(pkg), version: '0.0.0' }, memo?: EmitMemo): { files: FileMap; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const header = generatedHeader(model, '#');
  const dir = `python/${pkg}`;
  const out: FileMap = new Map();
  // The names of the types and _types.py come from the types (and the opaque names) alone: a watch session makes
  // them again only when those change. Nothing below adds a name to `names`, so the remembered one serves as new.
  const opaque = opaqueNamesOf(model);
  const typesModule = remembered(memo, 'python _types.py', [model.types, opaque.join('\0'), templates, header], () => pythonTypesModule(model.types, opaque, templates, header));
  const names = typesModule.names;
  const typeFnIn = (prefix: string) => (t: string) => (names.known.get(t)?.syntax ? `${prefix}${names.typeBuilder(t)}` : undefined);
  const qualifyT: PyQualify = (n) => `T.${names.type(n)}`;
  out.set(`${dir}/_types.py`, typesModule.text);

  // _responses.py
  const responses = new Map<string, string>();
  const rScope = new NameScope(PY_RESERVED);
  const responseDecls: PyDecl[] = [];
  for (const c of model.commands)
    for (const r of c.responses) {
      if (responses.has(r.name)) continue;
      const id = rScope.name(r.name, pyIdentifier(r.name));
      responses.set(r.name, id);
      responseDecls.push({ class: pyClass(id, withSince(r.description, r.since), r.fields, qualifyT, undefined, r.since) });
    }
  const responseNames = [...responses.values()];
  const responseTags = [...new Set(model.commands.flatMap((c) => c.responses.map((r) => r.tag)))];
  out.set(
    `${dir}/_responses.py`,
    templates.render('python/_responses.py.hbs', {
      header,
      decls: responseDecls,
      union: pyUnion(responseNames),
      tags: literalOf(responseTags),
      all: [...responseNames, 'ChatResponse', 'ChatResponse_Tag'].map((e) => jsonString(e)),
    }),
  );

  // _events.py: the events and the types' names.
  out.set(
    `${dir}/_events.py`,
    remembered(memo, 'python _events.py', [model.events, names, templates, header], () => {
      const eScope = new NameScope([...PY_RESERVED, 'OnEventDecorator', 'OnEvent']);
      const eventDecls: PyDecl[] = model.events.map((e) => ({ class: pyClass(eScope.name(e.name, pyIdentifier(e.name)), withSince(e.description, e.since), e.fields, qualifyT, undefined, e.since) }));
      const eventNames = eventDecls.map((d) => d.class!.name);
      return templates.render('python/_events.py.hbs', {
        header,
        decls: eventDecls,
        union: pyUnion(eventNames),
        tags: literalOf([...new Set(model.events.map((e) => e.tag))]),
        // One overload per tag (the first event of a tag), for handlers typed by the tag they subscribe to.
        overloads: model.events.flatMap((e, i) => (model.events.findIndex((x) => x.tag === e.tag) === i ? [{ tag: jsonString(e.tag), cls: eventNames[i]! }] : [])),
        overload: new Set(model.events.map((e) => e.tag)).size > 1,
        all: [...eventNames, 'ChatEvent', 'ChatEvent_Tag', 'OnEvent', 'OnEventDecorator'].map((e) => jsonString(e)),
      });
    }),
  );

  // _commands.py
  const cScope = new NameScope(PY_RESERVED);
  const commandIds = new Map<string, string>();
  const commandBuilders = new Map<string, string>();
  const commandDecls: PyDecl[] = [];
  const commandExports: string[] = [];
  const parsedIds = new Map<string, string>();
  for (const c of model.commands) {
    // Names first, in the order they have always been given (they decide each other's suffixes).
    const id = cScope.name(c.name, pyIdentifier(c.name));
    // What the command parser gives back: the parameters the syntax cannot carry are optional (NotRequired).
    const uncarried = new Set(uncarriedParams(c.syntax.ast, c.params ?? []));
    const parsedId = uncarried.size ? cScope.name(`${c.name} Parsed`, `${id}_Parsed`) : undefined;
    const respUnion = [...new Set(c.responses.map((r) => `R.${responses.get(r.name)}`))];
    const respName = cScope.name(`${c.name} Response`, `${id}_Response`);
    const fn = cScope.name(`${c.name} cmd_string`, `${id}_cmd_string`);
    // The declarations, from the command, its names and the types' names (kept while they are the same, in watch mode).
    const decls = remembered(memo, `python command ${c.name}`, [c, id, parsedId, respName, fn, respUnion.join('|'), names], (): PyDecl[] => {
      const joined = new Set(c.syntax.ast ? joinedParams(c.syntax.ast) : []);
      const doc = withSince([c.description, c.networkUsage ? `Network usage: ${c.networkUsage}.` : ''].filter(Boolean).join('\n\n'), c.since);
      const out: PyDecl[] = [{ class: pyClass(id, doc, c.params ?? [], qualifyT, (f) => (joined.has(f.name) ? ['non-empty'] : []), c.since) }];
      if (parsedId !== undefined) {
        const fields = (c.params ?? []).map((f) => (uncarried.has(f.name) && f.type.kind !== 'optional' ? { ...f, type: { kind: 'optional' as const, inner: f.type } } : f));
        out.push({ class: pyClass(parsedId, `${id} as parse_command reads it back: ${[...uncarried].join(', ')} not in its syntax, so never read.`, fields, qualifyT) });
      }
      out.push({ alias: { name: respName, value: pyUnion(respUnion), doc: '' } });
      out.push({ builder: builder(c.name, fn, id, c.syntax, c.params ?? [], typeFnIn('T.'), false, 'T.CommandParameterError') });
      return out;
    });
    commandDecls.push(...decls);
    if (parsedId !== undefined) {
      commandExports.push(parsedId);
      parsedIds.set(c.name, parsedId);
    }
    commandExports.push(id, respName, fn);
    commandIds.set(c.name, id);
    commandBuilders.set(c.name, fn);
  }
  out.set(`${dir}/_commands.py`, templates.render('python/_commands.py.hbs', { header, decls: commandDecls, all: commandExports.map((e) => jsonString(e)) }));

  // Public modules over the private ones, so that `from simplex_api.responses import NewChatItems` works.
  // _parse.py: command strings read back (the interpreter, then its table).
  const table = commandTableOf(model);
  const pScope = new NameScope([...PY_RESERVED, 'CommandParseError', 'ParsedCommand', 'parse_command', 'parse_command_by_search', 'parse_command_with', 'C', 're']);
  const parsed = model.commands
    .filter((c) => c.syntax.ast)
    .map((c) => ({ class: pScope.name(c.name, `ParsedCommand_${commandIds.get(c.name)!}`), command: jsonString(c.name), params: parsedIds.get(c.name) ?? commandIds.get(c.name)! }));
  const parsedKey = parsed.map((p) => `${p.class} ${p.command} ${p.params}`).join('\n');
  out.set(
    `${dir}/_parse.py`,
    remembered(memo, 'python _parse.py', [templates, header, parsedKey, table.commands, table.types], () => templates.render('python/_parse.py.hbs', {
      header,
      parsed,
      union: pyUnion(parsed.map((p) => p.class)),
      // Each command with its direct reading (src/runtime/commandParser.ts decides which have one).
      commands: remembered(memo, 'python _parse.py commands', [table.commands, table.types], () => {
        const direct = directPathsOf(table);
        return listLiteral(
          table.commands.map((c, i) => ({ ...c, direct: direct[i] })),
          'py',
          '    ',
        );
      }),
      types: recordLiteral(table.types, 'py', '    '),
    })),
  );

  // _decode.py: responses and events checked (the checker, then its schema).
  const schema = decodeSchemaOf(model);
  const dScope = new NameScope([...PY_RESERVED, 'DecodeError', 'DecodeWarning', 'decode_with', 'decode_type', 'decode_chat_response', 'decode_chat_event', 'E', 're']);
  out.set(
    `${dir}/_decode.py`,
    // The names come from the types' (and are made again only with them).
    remembered(memo, 'python _decode.py', [templates, header, schema.types, schema.responses, schema.events, model.types, names], () =>
      templates.render('python/_decode.py.hbs', {
        header,
        types: recordLiteral(schema.types, 'py', '    '),
        responses: recordLiteral(schema.responses, 'py', '    '),
        events: recordLiteral(schema.events, 'py', '    '),
        decoders: model.types.map((t) => ({ name: dScope.name(t.name, `decode_${names.type(t.name)}`), type: names.type(t.name), typeKey: jsonString(t.name), doc: t.name })),
      }),
    ),
  );

  // _client.py: the protocol (the same as the TypeScript client's) and one typed method per command.
  const client = clientMethods(model, files, 'py');
  diagnostics.push(...client.diagnostics);
  const byName = new Map(model.commands.map((c) => [c.name, c]));
  const methods = client.methods.map(({ command, method }) => {
    const c = byName.get(command)!;
    const id = commandIds.get(command)!;
    const tags = [...new Set(c.responses.map((r) => r.tag).filter((t) => t !== 'chatCmdError'))];
    const returns = pyUnion([...new Set(c.responses.filter((r) => r.tag !== 'chatCmdError').map((r) => `R.${responses.get(r.name)!}`))]);
    const optional = (c.params ?? []).every((p) => p.type.kind === 'optional');
    return {
      name: method === 'connect' ? '_connect_command' : method,
      command: jsonString(command),
      params: id,
      paramType: optional ? `Optional[C.${id}] = None` : `C.${id}`,
      argument: optional ? 'params or {}' : 'params',
      builder: commandBuilders.get(command)!,
      returns: returns === 'Any' ? 'R.ChatResponse' : returns,
      tags: `(${tags.map((t) => jsonString(t)).join(', ')}${tags.length === 1 ? ',' : ''})`,
      doc: pyDocstring([c.description, `Sends \`${c.syntax.text}\`; raises ChatCommandError on an error or an undocumented response.`].filter(Boolean).join('\n\n'), '        '),
    };
  });
  const connectCommand = methods.find((m) => m.name === '_connect_command');
  out.set(`${dir}/_client.py`, templates.render('python/_client.py.hbs', { header, methods, connectCommand: connectCommand ?? false }));
  // The runtime, verbatim: the command parser's and the decoders' interpreters (the tables above are theirs),
  // mock.py (the mock chat core in a child process over pipes, for a bot's unit tests without a port) and ffi.py
  // (the chat library in this process through ctypes, a transport of the client).
  for (const name of PYTHON_RUNTIME_MODULES) out.set(`${dir}/${name}.py`, `${header}\n${pythonRuntimeSource(name)}`);

  // Imports named one by one (what each private module lists in `__all__`), so that linters and editors see them.
  const allOf = (module: string) => pythonAllOf(out.get(`${dir}/_${module}.py`)!) ?? [];
  const upstreamNames = ['CC', 'CEvt', 'CR', 'T'];
  for (const [module, what] of [['commands', 'API commands, their response unions and builders'], ['types', 'API types'], ['responses', 'responses to API commands'], ['events', 'events'], ['parse', 'command parser'], ['decode', 'decoders of responses and events'], ['client', 'typed client of the chat core']] as const) {
    const upstream = module === 'types';
    const imported = allOf(module);
    out.set(
      `${dir}/${module}.py`,
      remembered(memo, `python ${module}.py`, [templates, header, pkg, imported.join('\0')], () =>
        templates.render('python/module.py.hbs', { header, module, private: `_${module}`, what, package: pkg, upstream, imported, all: [...imported, ...(upstream ? upstreamNames : [])].sort().map((n) => jsonString(n)) }),
      ),
    );
  }
  const commandNames = allOf('commands');
  const shadowed = new Set(commandNames);
  const fromTypes = allOf('types').filter((n) => !shadowed.has(n));
  const initAll = [...fromTypes, ...commandNames, 'ChatEvent', 'ChatResponse', ...upstreamNames, 'commands', 'events', 'responses', 'types'];
  out.set(
    `${dir}/__init__.py`,
    remembered(memo, 'python __init__.py', [templates, header, pkg, fromTypes.join('\0'), commandNames.join('\0')], () =>
      templates.render('python/__init__.py.hbs', { header, package: pkg, fromTypes, fromCommands: commandNames, all: [...new Set(initAll)].sort().map((n) => jsonString(n)) }),
    ),
  );
  // The runtime's modules are ours verbatim, their imports all used (pyflakes checks them in the tests): only
  // what the templates rendered is pruned.
  const verbatim = new Set(PYTHON_RUNTIME_MODULES.map((name) => `${dir}/${name}.py`));
  for (const [path, text] of out) if (path.endsWith('.py') && !verbatim.has(path)) out.set(path, pruneUnusedImports(text));
  out.set(`${dir}/py.typed`, '');
  // The distribution beside the package: `pip install ./generated/python`.
  // What `pip install ./generated/python` builds in place (setuptools builds in the source tree), kept out of commits.
  out.set('python/.gitignore', '# Written by simplex-api-codegen: what building the distribution leaves here.\nbuild/\n*.egg-info/\n__pycache__/\n');
  out.set('python/pyproject.toml', templates.render('python/pyproject.toml.hbs', { header, package: pkg, name: jsonString(dist.name), version: jsonString(dist.version), packageKey: jsonString(pkg) }));
  return { files: out, diagnostics };
}
