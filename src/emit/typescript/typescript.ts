/**
 * The TypeScript target: types.ts, commands.ts, responses.ts, events.ts and index.ts, in the shape of the
 * SimpleX TypeScript types package (commands as `CC.X` with `Response` and `cmdString`, responses in `CR`,
 * events in `CEvt`). Declarations are built as data (declarations.ts) and printed as ts-morph prints them.
 *
 * Every declaration is erasable syntax (Node's type stripping, `erasableSyntaxOnly`): a name that is both a type
 * and a value is an interface or type alias, a `declare namespace` holding only types (`CC.X.Response`,
 * `T.ChatType.Direct` as a type), and a frozen `const` object without a prototype holding the values
 * (`cmdString`, `T.ChatType.Direct` as a value) — so `T.ChatType.constructor` is undefined, not Object.
 */
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { locate } from '../../model/validate.js';
import type { TypeScriptOptions } from '../../options.js';
import type { ApiModel, DocKind, Field, TypeDoc } from '../../model/types.js';
import { joinedParams } from '../../syntax/ast.js';
import { typeSyntaxParams } from '../../syntax/snippets.js';
import type { FileMap } from '../../writer/fileMap.js';
import { remembered, type EmitMemo } from '../memo.js';
import { generatedHeader } from '../header.js';
import { jsonString } from '../escape.js';
import { docCommentText, enumMemberName, NameScope, OBJECT_PROTOTYPE_NAMES, tsDeclName, tsPropertyKey } from '../identifiers.js';
import { builderStatements, cmdStringMethod } from './cmdStringBuilder.js';
import { TsNames } from './tsNames.js';
import { tsTypeOf, type Qualify } from './tsTypes.js';
import { printDeclaration, type Declaration, type InterfaceDecl, type NamespaceDecl, type PropertyDecl, type TypeAliasDecl } from './declarations.js';

/** A top-level statement: a declaration, or text written as it is (the value objects). */
type Statement = Declaration | string;

export interface EmittedTs {
  files: FileMap;
  diagnostics: Diagnostic[];
}

/**
 * Prints top-level statements, one text per statement, joined by a blank line. Texts are kept by their
 * declaration, so that a regeneration in watch mode prints only the declarations that changed.
 */
class StatementPrinter {
  private cache = new Map<string, string>();
  private used = new Map<string, string>();

  constructor(private readonly printOne: (d: Declaration) => string = printDeclaration) {}

  print(statements: Statement[]): string {
    const texts = statements.map((st) => {
      if (typeof st === 'string') return st;
      const key = JSON.stringify(st);
      let t = this.used.get(key) ?? this.cache.get(key);
      if (t === undefined) t = tidyUnions(this.printOne(st));
      this.used.set(key, t);
      return t;
    });
    return texts.length ? texts.join('\n\n') + '\n' : '';
  }

  /** Forgets statements that the emits since the previous sweep did not print. */
  sweep(): void {
    this.cache = this.used;
    this.used = new Map();
  }
}

let sharedPrinter: StatementPrinter | undefined;

/**
 * A multi-line union is printed as ts-morph prints it, `X = ` (trailing space) with members indented twice; a
 * person writes `X =` with members indented once under the declaration.
 */
function tidyUnions(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/ = $/.test(lines[i]!)) continue;
    lines[i] = lines[i]!.replace(/ $/, '');
    const indent = /^ */.exec(lines[i]!)![0];
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith(`${indent}    | `); j++) lines[j] = `${indent}  ${lines[j]!.slice(indent.length + 4)}`;
  }
  return lines.join('\n');
}

function docs(...parts: (string | undefined)[]): string[] {
  const text = parts.filter((p) => p !== undefined && p !== '').join('\n\n');
  return text ? [docCommentText(text)] : [];
}

/** `@since v6.4` of an item when a history is configured; of a part (field, member, value) only when it is newer than its owner. */
function sinceTag(since: string | undefined, ownerSince?: string): string | undefined {
  return since !== undefined && since !== ownerSince ? `@since ${since}` : undefined;
}

function properties(fields: readonly Field[], qualify: Qualify, extraNotes: (f: Field) => string[] = () => [], ownerSince?: string): PropertyDecl[] {
  return fields.map((f) => {
    const t = tsTypeOf(f.type, qualify);
    const notes = [...t.notes, ...extraNotes(f)];
    // `?: X | undefined`: under exactOptionalPropertyTypes a caller may still pass a value that may be undefined.
    const p: PropertyDecl = { name: tsPropertyKey(f.name), type: t.optional ? `${t.type} | undefined` : t.type, optional: t.optional };
    if (notes.length) p.trailing = ` // ${notes.join(', ').replace(/[\r\n]+/g, ' ')}`;
    const since = sinceTag(f.since, ownerSince);
    if (since) p.docs = docs(since);
    return p;
  });
}

function unionText(members: string[]): string {
  // No member (no EVENTS.md, a union without members): nothing can be one.
  if (members.length === 0) return 'never';
  const one = members.join(' | ');
  return one.length <= 100 ? one : '\n' + members.map((m) => `  | ${m}`).join('\n');
}


/** A `declare namespace` (types only, erased): `CC.X.Response`, `T.ChatType.Direct` as a type, union members. */
function typeNamespace(name: string, statements: (InterfaceDecl | TypeAliasDecl)[]): NamespaceDecl {
  return { kind: 'namespace', name, statements };
}

/**
 * The value half of a name: a frozen object without a prototype, so that nothing is inherited
 * (`T.ChatType.constructor` is undefined) and nothing can be added. `entries` are `key: value,` lines or methods.
 */
function valueObject(name: string, entries: string[], asConst: boolean): string {
  const body = ['__proto__: null,', ...entries].map((e) => e.replace(/^/gm, '  ')).join('\n');
  return `export const ${name} = Object.freeze({\n${body}\n}${asConst ? ' as const' : ''});`;
}

function typeStatements(t: TypeDoc, names: TsNames, open: boolean): Statement[] {
  const name = names.type(t.name);
  const qualify: Qualify = (n) => names.type(n);
  const description = docs(t.description, sinceTag(t.since));
  const builder = () =>
    t.syntax?.ast ? [cmdStringMethod(name, builderStatements(t.name, t.syntax, typeSyntaxParams(t), qualify, names, t.kind === 'enum'))] : [];
  switch (t.kind) {
    case 'record': {
      const out: Statement[] = [{ kind: 'interface', name, exported: true, docs: description, properties: properties(t.fields, qualify, undefined, t.since) }];
      if (t.syntax?.ast) out.push(valueObject(name, builder(), false));
      return out;
    }
    case 'enum': {
      const values = t.values.map((v) => jsonString(v.value));
      // Member names never shadow what every object had (`__proto__`, `constructor`) nor the builder.
      const scope = new NameScope(['cmdString', ...OBJECT_PROTOTYPE_NAMES]);
      const members = t.values.map((v) => ({ id: scope.name(v.value, tsDeclName(enumMemberName(t.name, v.value))), value: jsonString(v.value), docs: docs(sinceTag(v.since, t.since)) }));
      return [
        { kind: 'typeAlias', name, exported: true, docs: description, type: unionText(open ? [...values, 'Undocumented'] : values) },
        typeNamespace(name, members.map((m): TypeAliasDecl => ({ kind: 'typeAlias', name: m.id, exported: true, type: m.value, docs: m.docs }))),
        valueObject(name, [...members.map((m) => `${m.id}: ${m.value},`), ...builder()], true),
      ];
    }
    case 'union': {
      const scope = new NameScope(['Tag', 'Interface', 'cmdString', 'Undocumented']);
      const members = t.members.map((m) => ({ m, id: scope.name(m.name, tsDeclName(m.name)) }));
      const tags = t.members.map((m) => jsonString(m.tag));
      const inner: (InterfaceDecl | TypeAliasDecl)[] = [
        { kind: 'typeAlias', name: 'Tag', exported: true, type: unionText(open ? [...tags, 'UndocumentedTag'] : tags) },
        { kind: 'interface', name: 'Interface', exported: false, properties: [{ name: 'type', type: 'Tag' }] },
        undocumentedMember('UndocumentedTag'),
        ...members.map(
          ({ m, id }): InterfaceDecl => ({
            kind: 'interface',
            name: id,
            exported: true,
            extends: ['Interface'],
            docs: docs(sinceTag(m.since, t.since)),
            properties: properties(m.fields, qualify, undefined, m.since ?? t.since),
          }),
        ),
      ];
      const out: Statement[] = [
        { kind: 'typeAlias', name, exported: true, docs: description, type: unionText([...members.map(({ id }) => `${name}.${id}`), ...(open ? [`${name}.Undocumented`] : [])]) },
        typeNamespace(name, inner),
      ];
      if (t.syntax?.ast) out.push(valueObject(name, builder(), false));
      return out;
    }
  }
}

/**
 * The member of a union that these documents do not name. Decoders keep such a member as it came, with its real
 * tag (a string): typed with a tag of its own, so that a switch over the known tags still narrows, and its
 * default branch (this member) is reachable.
 */
function undocumentedMember(tagType: string): InterfaceDecl {
  return {
    kind: 'interface',
    name: 'Undocumented',
    exported: true,
    docs: ['A member these documents do not name, kept by the decoders as it came (its `type` holds the real tag).'],
    properties: [{ name: 'type', type: tagType }],
    indexSignature: { keyName: 'field', keyType: 'string', valueType: 'unknown' },
  };
}

/** A tagged union of records in one namespace: `ChatResponse` over `CR.*`, `ChatEvent` over `CEvt.*`. */
function taggedRecords(
  unionName: string,
  ns: string,
  records: { key: string; name: string; description: string; tag: string; fields: Field[]; since?: string | undefined }[],
  qualify: Qualify,
  open: boolean,
): Statement[] {
  const tags = [...new Set(records.map((r) => jsonString(r.tag)))];
  return [
    { kind: 'typeAlias', name: unionName, exported: true, type: unionText([...records.map((r) => `${ns}.${r.name}`), ...(open ? [`${ns}.Undocumented`] : [])]) },
    typeNamespace(ns, [
      { kind: 'typeAlias', name: 'Tag', exported: true, type: unionText(open ? [...tags, 'T.UndocumentedTag'] : tags) },
      undocumentedMember('T.UndocumentedTag'),
      { kind: 'interface', name: 'Interface', exported: false, properties: [{ name: 'type', type: 'Tag' }] },
      ...records.map(
        (r): InterfaceDecl => ({
          kind: 'interface',
          name: r.name,
          exported: true,
          extends: ['Interface'],
          docs: docs(r.description, sinceTag(r.since)),
          properties: properties(r.fields, qualify, undefined, r.since),
        }),
      ),
    ]),
    // Code written against upstream's package imports `{ CEvt, T }` without `type`: under verbatimModuleSyntax
    // that needs a value of the name, as `T` and `CC` are.
    `/** A value as well as the namespace of types above, so that \`import { ${ns} }\` compiles under verbatimModuleSyntax. */\nexport const ${ns} = Object.freeze({ __proto__: null });`,
  ];
}

/**
 * The TypeScript files of the model. `print` writes one declaration (the tests pass ts-morph's printer, to
 * require the same bytes from both).
 */
export function emitTypeScript(model: ApiModel, files: Partial<Record<DocKind, string>>, options: TypeScriptOptions = { openUnions: false }, print?: (d: Declaration) => string, memo?: EmitMemo): EmittedTs {
  const open = options.openUnions;
  const diagnostics: Diagnostic[] = [];
  const names = new TsNames(model);
  const header = generatedHeader(model, '//');
  const printer = print ? new StatementPrinter(print) : (sharedPrinter ??= new StatementPrinter());
  const render = (_path: string, statements: Statement[], imports: string[] = []) =>
    header + (imports.length ? '\n' + imports.join('\n') + '\n' : '') + '\n' + printer.print(statements);
  const qualifyT: Qualify = (n) => `T.${names.type(n)}`;

  // types.ts: the types and their names (which come from the types and the opaque names) alone; in a watch
  // session (memo) written again only when those change.
  const typeNames = [model.types, names.opaque.join('\0'), open, header, printer];
  const out: FileMap = new Map();
  out.set(
    'typescript/types.ts',
    remembered(memo, 'typescript types.ts', typeNames, () => {
      const typeStmts: Statement[] = model.types.flatMap((t) => typeStatements(t, names, open));
      for (const name of names.opaque)
        typeStmts.push({ kind: 'typeAlias', name: names.type(name), exported: true, docs: [`Opaque: ${docCommentText(name)} is not defined in the spec's TYPES.md.`], type: 'unknown' });
      const prelude = [
        'declare const undocumentedValue: unique symbol;',
        '/** An enum value these documents do not list: decoders keep it as it came, a string (see decode.ts). */\nexport type Undocumented = string & { readonly [undocumentedValue]: true };',
        '/** The tag type of a union member these documents do not name: its value at run time is the real tag. */\nexport type UndocumentedTag = "(undocumented)";',
      ];
      return render('types.ts', [...prelude, ...typeStmts]);
    }),
  );

  // responses.ts: each response once, by name (the first definition wins; a differing one is reported).
  const responses = new Map<string, { key: string; name: string; description: string; tag: string; fields: Field[]; since?: string | undefined }>();
  for (const c of model.commands)
    for (const r of c.responses) {
      const seen = responses.get(r.name);
      if (!seen) responses.set(r.name, { key: r.name, name: names.responses.name(r.name, tsDeclName(r.name)), description: r.description, tag: r.tag, fields: r.fields, since: r.since });
      else if (JSON.stringify(seen.fields.map((f) => [f.name, f.type])) !== JSON.stringify(r.fields.map((f) => [f.name, f.type])))
        diagnostics.push(
          diagnostic(DiagnosticCodes.DUPLICATE_FIELD, ...locate(files, r.source), `response ${r.name} of ${c.name} has other fields than its first definition; the first is used`, { severity: 'warning', subject: r.name }),
        );
    }
  out.set('typescript/responses.ts', render('responses.ts', taggedRecords('ChatResponse', 'CR', [...responses.values()], qualifyT, open), ['import type * as T from "./types.js";']));

  // events.ts: the events and the types' names (names.events is this file's alone).
  out.set(
    'typescript/events.ts',
    remembered(memo, 'typescript events.ts', [model.events, ...typeNames], () => {
      const events = model.events.map((e) => ({ key: e.name, name: names.events.name(e.name, tsDeclName(e.name)), description: e.description, tag: e.tag, fields: e.fields, since: e.since }));
      return render('events.ts', taggedRecords('ChatEvent', 'CEvt', events, qualifyT, open), ['import type * as T from "./types.js";']);
    }),
  );

  // commands.ts: each command's declarations, printed; in a watch session (memo) kept while the command, its
  // name and its responses' names, and the types' names are the same.
  const commandStmts: Statement[] = [];
  for (const c of model.commands) {
    const name = names.command(c.name);
    const responseUnion = [...new Set(c.responses.map((r) => `CR.${responses.get(r.name)!.name}`))];
    const make = (): Statement[] => {
      const params = c.params ?? [];
      const joined = new Set(c.syntax.ast ? joinedParams(c.syntax.ast) : []);
      const usage = c.networkUsage ? `Network usage: ${c.networkUsage}.` : undefined;
      return [
        {
          kind: 'interface',
          name,
          exported: true,
          docs: docs(c.description, usage, sinceTag(c.since)),
          properties: properties(params, qualifyT, (f) => (joined.has(f.name) ? ['non-empty'] : []), c.since),
        },
        typeNamespace(name, [{ kind: 'typeAlias', name: 'Response', exported: true, type: responseUnion.length ? unionText(responseUnion) : 'never' }]),
        valueObject(name, [cmdStringMethod(name, builderStatements(c.name, c.syntax, params, qualifyT, names, false))], false),
      ];
    };
    // Printed one by one, as the printer joins them: the same text as printing them with the rest.
    commandStmts.push(...(memo ? remembered(memo, `typescript command ${c.name}`, [c, name, responseUnion.join('|'), ...typeNames], () => make().map((st) => printer.print([st]).slice(0, -1))) : make()));
  }
  out.set('typescript/commands.ts', render('commands.ts', commandStmts, ['import * as T from "./types.js";', 'import type { CR } from "./responses.js";']));

  out.set(
    'typescript/index.ts',
    header +
      // The exports of the SimpleX TypeScript types package (`import { CC, CEvt, ChatEvent, T } from …`).
      '\nexport * as T from "./types.js";\nexport * as CC from "./commands.js";\nexport * from "./commands.js";\nexport * from "./responses.js";\nexport * from "./events.js";\n',
  );
  printer.sweep();
  return { files: out, diagnostics };
}
