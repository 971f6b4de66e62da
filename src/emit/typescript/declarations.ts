/**
 * The declarations the TypeScript target writes (interfaces, type aliases, `declare namespace`s), and their
 * printer. The text is ts-morph's `printStructure` of the same declarations, written directly: loading ts-morph
 * compiles the TypeScript compiler (about half a second and 70 MB a process) only to print these three shapes.
 * `test/emit/typescriptDeclarations.test.ts` prints every declaration of the corpus and random ones both ways
 * and requires the same bytes (see `toTsMorphStructure`).
 */

export interface PropertyDecl {
  name: string;
  type: string;
  optional?: boolean;
  /** Text after the `;`, e.g. ` // non-empty`. */
  trailing?: string;
  docs?: string[];
}

export interface InterfaceDecl {
  kind: 'interface';
  name: string;
  exported: boolean;
  docs?: string[];
  extends?: string[];
  /** `[keyName: keyType]: valueType`, printed before the properties. */
  indexSignature?: { keyName: string; keyType: string; valueType: string };
  properties: PropertyDecl[];
}

export interface TypeAliasDecl {
  kind: 'typeAlias';
  name: string;
  exported: boolean;
  docs?: string[];
  type: string;
}

/** `export declare namespace X { … }`: types only, erased. */
export interface NamespaceDecl {
  kind: 'namespace';
  name: string;
  docs?: string[];
  statements: (InterfaceDecl | TypeAliasDecl)[];
}

export type Declaration = InterfaceDecl | TypeAliasDecl | NamespaceDecl;

const INDENT = '  ';

/** Lines of text, each indented to the level it is written at; a blank line gets no indentation (as ts-morph writes it). */
class Lines {
  private out: string[] = [''];

  /** Writes `text`; its later lines start at `level` plus `hanging` extra levels. */
  write(text: string, level: number, hanging = 0): void {
    const parts = text.split('\n');
    this.append(parts[0]!, level);
    for (let i = 1; i < parts.length; i++) {
      this.out.push('');
      this.append(parts[i]!, level + hanging);
    }
  }

  newLine(): void {
    this.out.push('');
  }

  private append(text: string, level: number): void {
    const last = this.out.length - 1;
    // Indentation goes in front of the first text of a line, never on an empty line.
    if (this.out[last] === '' && text !== '') this.out[last] = INDENT.repeat(level) + text;
    else this.out[last] += text;
  }

  toString(): string {
    return this.out.join('\n');
  }
}

/** A JSDoc comment as ts-morph prints a doc string: one line `/** x *\/`, or ` * ` lines. */
function writeDoc(w: Lines, doc: string, level: number): void {
  const lines = doc.split(/\r?\n/);
  if (lines.length <= 1) {
    const head = `/** ${lines[0] ?? ''}`;
    w.write(`${head}${head.endsWith(' ') ? '' : ' '}*/`, level);
  } else {
    w.write('/**', level);
    for (let i = lines[0] === '' ? 1 : 0; i < lines.length; i++) {
      w.newLine();
      w.write(lines[i] ? ` * ${lines[i]}` : ' *', level);
    }
    w.newLine();
    w.write(' */', level);
  }
  w.newLine();
}

function writeDocs(w: Lines, docs: readonly string[] | undefined, level: number): void {
  for (const d of docs ?? []) writeDoc(w, d, level);
}

function writeTypeAlias(w: Lines, t: TypeAliasDecl, level: number): void {
  writeDocs(w, t.docs, level);
  w.write(`${t.exported ? 'export ' : ''}type ${t.name} = `, level);
  // ts-morph writes the type with a hanging indent: its later lines one level deeper.
  w.write(`${t.type};`, level, 1);
}

function writeInterface(w: Lines, i: InterfaceDecl, level: number): void {
  writeDocs(w, i.docs, level);
  w.write(`${i.exported ? 'export ' : ''}interface ${i.name} ${i.extends?.length ? `extends ${i.extends.join(', ')} ` : ''}{`, level);
  if (i.indexSignature) {
    w.newLine();
    w.write(`[${i.indexSignature.keyName}: ${i.indexSignature.keyType}]: ${i.indexSignature.valueType};`, level + 1);
  }
  for (const p of i.properties) {
    w.newLine();
    writeDocs(w, p.docs, level + 1);
    w.write(`${p.name}${p.optional ? '?' : ''}: `, level + 1);
    w.write(`${p.type};${p.trailing ?? ''}`, level + 1, 1);
  }
  w.newLine();
  w.write('}', level);
}

function writeNamespace(w: Lines, n: NamespaceDecl, level: number): void {
  writeDocs(w, n.docs, level);
  w.write(`export declare namespace ${n.name} {`, level);
  let previous: InterfaceDecl | TypeAliasDecl | undefined;
  for (const s of n.statements) {
    // A blank line after a closing brace and before an interface; type aliases follow each other line by line.
    w.newLine();
    if (previous && (previous.kind === 'interface' || s.kind === 'interface')) w.newLine();
    if (s.kind === 'interface') writeInterface(w, s, level + 1);
    else writeTypeAlias(w, s, level + 1);
    previous = s;
  }
  w.newLine();
  w.write('}', level);
}

/** The text of one top-level declaration, without a final newline. */
export function printDeclaration(d: Declaration): string {
  const w = new Lines();
  if (d.kind === 'interface') writeInterface(w, d, 0);
  else if (d.kind === 'typeAlias') writeTypeAlias(w, d, 0);
  else writeNamespace(w, d, 0);
  return w.toString();
}

/**
 * The ts-morph structure of a declaration, for `printStructure` (the numbers are ts-morph's `StructureKind`
 * and `ModuleDeclarationKind` values, passed in so that this module does not load ts-morph).
 */
export function toTsMorphStructure(d: Declaration, kinds: { Interface: number; TypeAlias: number; Module: number; Namespace: string }): object {
  const docs = (x: { docs?: string[] }) => (x.docs?.length ? { docs: x.docs } : {});
  const one = (s: InterfaceDecl | TypeAliasDecl): object =>
    s.kind === 'typeAlias'
      ? { kind: kinds.TypeAlias, name: s.name, isExported: s.exported, type: s.type, ...docs(s) }
      : {
          kind: kinds.Interface,
          name: s.name,
          isExported: s.exported,
          ...docs(s),
          ...(s.extends?.length ? { extends: s.extends } : {}),
          ...(s.indexSignature ? { indexSignatures: [{ keyName: s.indexSignature.keyName, keyType: s.indexSignature.keyType, returnType: s.indexSignature.valueType }] } : {}),
          properties: s.properties.map((p) => ({ name: p.name, type: p.type, hasQuestionToken: p.optional ?? false, ...(p.trailing ? { trailingTrivia: p.trailing } : {}), ...docs(p) })),
        };
  if (d.kind !== 'namespace') return one(d);
  return { kind: kinds.Module, name: d.name, isExported: true, hasDeclareKeyword: true, declarationKind: kinds.Namespace, statements: d.statements.map(one), ...docs(d) };
}
