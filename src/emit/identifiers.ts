import type { TypeDoc } from '../model/types.js';
import { escapeInvisible, jsonString } from './escape.js';
import { PYTHON_STDLIB_MODULES } from './python/stdlibModules.js';

/** Identifiers that are safe in the target languages, and names made unique within one scope. */

const TS_RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with implements interface let ' +
    'package private protected public static yield any boolean number string symbol never unknown object undefined await ' +
    'type namespace module declare abstract as async constructor get set of require global keyof readonly infer is asserts')
    .split(' '),
);


/** What every plain object inherits: a parameter or member of such a name must never be read from the prototype. */
export const OBJECT_PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Python's hard keywords: a package with such a name cannot be imported (`import class` is a syntax error). */
export const PY_KEYWORDS: ReadonlySet<string> = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from global if ' +
    'import in is lambda nonlocal not or pass raise return try while with yield').split(' '),
);

/**
 * Names generated Python never gives a declaration, whatever module it is in: keywords and soft keywords; what the
 * modules import (`typing` names, `json`, the module aliases `T` and `R`, `annotations` from `__future__`); the
 * builtins that annotations and builders use; and what the package's `__init__` binds beside the star imports.
 */
export const PY_RESERVED: ReadonlySet<string> = new Set([
  ...PY_KEYWORDS,
  ...'match case type _ __all__ annotations json _json typing T R Any Literal NotRequired Optional TypeAlias TypedDict Union'.split(' '),
  ...'str int float bool list dict object map len isinstance ValueError TypeError KeyError'.split(' '),
  ...'commands events responses types parse decode client ChatResponse ChatEvent ChatResponse_Tag ChatEvent_Tag CC CR CEvt'.split(' '),
]);

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const PY_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A TypeScript declaration name for `name`: invalid characters become `_`, reserved words get a trailing `_`. */
export function tsDeclName(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_$]/g, '_');
  if (!/^[A-Za-z_$]/.test(id)) id = `_${id}`;
  if (TS_RESERVED.has(id)) id = `${id}_`;
  return id;
}

/** A property key: bare when it is an identifier name (reserved words are fine as keys), quoted otherwise. */
export function tsPropertyKey(name: string): string {
  return IDENT.test(name) ? name : jsonString(name);
}

/** Property access on `obj`: `obj.x`, or `obj["x-y"]` when `x-y` is not an identifier name. */
export function tsAccess(obj: string, name: string): string {
  return IDENT.test(name) ? `${obj}.${name}` : `${obj}[${jsonString(name)}]`;
}

export function pyIdentifier(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(id)) id = `_${id}`;
  if (PY_RESERVED.has(id)) id = `${id}_`;
  return id;
}


/**
 * A name that `import NAME` accepts and that shadows nothing the package needs: not a keyword, not a module of
 * the standard library (`json`, `typing`, `__future__`), not `websockets` (which the client imports).
 */
export function isPythonPackageName(name: string): boolean {
  return PY_IDENT.test(name) && !PY_KEYWORDS.has(name) && !PYTHON_STDLIB_MODULES.has(name) && name !== 'websockets';
}

/** A distribution name as PyPI and pip accept it (PEP 508): letters, digits and `._-`, alphanumeric at both ends. */
export function isPythonDistName(name: string): boolean {
  return name.length <= 128 && /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name);
}
export const PYTHON_DIST_NAME_EXPECTED = 'a distribution name of letters, digits, ".", "_" and "-" that starts and ends with a letter or digit, such as "simplex-api"';

/** A public version as PEP 440 spells it: `1.2.3`, `2.0.0rc1`, `1.0.post2`, `0.3.dev4`, `1!2.0`. */
export function isPythonVersion(version: string): boolean {
  return version.length <= 64 && /^([0-9]+!)?[0-9]+(\.[0-9]+)*((a|b|rc)[0-9]+)?(\.post[0-9]+)?(\.dev[0-9]+)?$/.test(version);
}
export const PYTHON_VERSION_EXPECTED = 'a PEP 440 version such as "1.2.3", "2.0.0rc1" or "0.3.dev4"';

/** The distribution name a package gets unless one is given: `simplex_api` → `simplex-api`. */
export function defaultDistName(pkg: string): string {
  return pkg.replace(/_/g, '-').replace(/^-+|-+$/g, '') || 'simplex-api';
}

/** Makes names unique in one scope, in first-come order: `X`, `X_2`, `X_3`… */
export class NameScope {
  private readonly taken = new Set<string>();
  private readonly assigned = new Map<string, string>();
  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.taken.add(r);
  }
  /** The unique name for `key`, derived from `preferred`; stable for repeated calls with the same key. */
  name(key: string, preferred: string): string {
    const existing = this.assigned.get(key);
    if (existing) return existing;
    let candidate = preferred;
    for (let i = 2; this.taken.has(candidate); i++) candidate = `${preferred}_${i}`;
    this.taken.add(candidate);
    this.assigned.set(key, candidate);
    return candidate;
  }
  get(key: string): string | undefined {
    return this.assigned.get(key);
  }
}

/**
 * Upstream's generator writes the members of these enums in capitals (`ConnectionMode.INV`, `FileProtocol.SMP`),
 * as a list of names in its code; the others as `pascalCase` of the value.
 */
const CAPITAL_ENUMS: ReadonlySet<string> = new Set(['ConnectionMode', 'FileProtocol']);

/** The name of an enum member as upstream's TypeScript types package names it. */
export function enumMemberName(enumName: string, value: string): string {
  return CAPITAL_ENUMS.has(enumName) ? pascalCase(value.toUpperCase()) : pascalCase(value);
}

/** `internalMark` → `InternalMark`, `DECRYPT_AES` → `DECRYPT_AES`, `a-b` → `A_b`. */
export function pascalCase(value: string): string {
  const id = value.replace(/[^A-Za-z0-9_$]/g, '_');
  const head = id.charAt(0).toUpperCase() + id.slice(1);
  return /^[A-Za-z_$]/.test(head) ? head : `_${head}`;
}

/** Text safe inside a `/** … *\/` comment: no comment terminator, no stray carriage returns, nothing invisible. */
export function docCommentText(text: string): string {
  return escapeInvisible(text.replace(/\r\n?/g, '\n').replace(/\*\//g, '*\\/'));
}

/** Text safe in a `//` or `#` line comment: one line, nothing invisible. */
export function lineCommentText(text: string): string {
  return escapeInvisible(text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\t/g, ' '));
}

/**
 * The names of a model's types in one target language: every defined type, then every referenced but undefined
 * (opaque) one, each made a valid, unique identifier. All files of a target ask it, so that they agree.
 */
export class TypeNames {
  readonly scope: NameScope;
  readonly known = new Map<string, TypeDoc>();
  readonly opaque: string[];
  /** `opaque`: opaqueTypeNames of the model (what its types are not). */
  constructor(
    types: readonly TypeDoc[],
    opaque: readonly string[],
    private readonly identifier: (name: string) => string,
    reserved: Iterable<string> = [],
  ) {
    this.scope = new NameScope(reserved);
    for (const t of types) {
      this.known.set(t.name, t);
      this.scope.name(t.name, identifier(t.name));
    }
    this.opaque = [...opaque];
    for (const name of this.opaque) this.scope.name(name, identifier(name));
  }
  type(name: string): string {
    return this.scope.get(name) ?? this.identifier(name);
  }
}
