/**
 * The intermediate model (IR): everything the three API documents say, typed.
 *
 * Every stage reads or writes these types: the parsers build them from markdown, the syntax stage attaches a
 * parsed command-string AST, and the emitters are pure functions of them. The model is lossless: the docs
 * emitter rewrites each source document byte for byte from it. Descriptions are kept as the markdown source
 * they were written in, because they hold links, lists and emphasis that no emitter needs to understand.
 */
import type { SyntaxNode } from '../syntax/ast.js';

/** The three document kinds, named after the files upstream publishes. */
export type DocKind = 'COMMANDS' | 'TYPES' | 'EVENTS';

/** A 1-based line and column in a source document (columns count UTF-16 code units, as mdast does). */
export interface Position {
  line: number;
  column: number;
}

/** Where a node came from: the document kind (its file is in `ApiModel.sources`) and its start position. */
export interface SourceRef {
  doc: DocKind;
  line: number;
  column: number;
}

/** Scalar types the documents use as bare words (`string`, `int64`, `UTCTime`, …). */
export type PrimitiveName = string;

/** A parsed field type such as `[[ChatItem](#chatitem)]?` — never kept as a string. */
export type TypeExpr =
  | { kind: 'primitive'; name: PrimitiveName }
  | { kind: 'ref'; name: string; /** The link target as written, e.g. `./TYPES.md#user` or `#user`. */ href: string }
  | { kind: 'list'; element: TypeExpr }
  | { kind: 'optional'; inner: TypeExpr }
  | { kind: 'map'; key: TypeExpr; value: TypeExpr }
  /** A string literal, used by the `type` tag of responses, events and union members. */
  | { kind: 'literal'; value: string };

export interface Field {
  name: string;
  type: TypeExpr;
  source: SourceRef;
  /** The version this item appeared in, when a history is configured (see history/since.ts). */
  since?: string;
}

/** The three code blocks under a `**Syntax**:` heading: the syntax line and its documented renderings. */
export interface SyntaxBlock {
  /** The command-string syntax exactly as documented, e.g. `/_send <str(sendRef)>[ live=on] json <json(m)>`. */
  text: string;
  /** The documented JavaScript expression without its trailing `// JavaScript` marker, if documented. */
  javascript?: string;
  /** The documented Python expression without its trailing `# Python` marker, if documented. */
  python?: string;
  source: SourceRef;
  /** Where the documented snippets start, for lint diagnostics. */
  javascriptSource?: SourceRef;
  pythonSource?: SourceRef;
  /** The parsed syntax, bound to the owner's parameters or fields; absent when it did not parse. */
  ast?: SyntaxNode;
}

/** A response of a command: a tagged record. */
export interface ResponseDoc {
  name: string;
  /** The sentence after the name, e.g. `User contact address created.` */
  description: string;
  /** The `type` tag value, e.g. `userContactLinkCreated` (taken from the first field). */
  tag: string;
  /** All fields as documented, the `type` tag first. */
  fields: Field[];
  source: SourceRef;
  since?: string;
}

export interface ErrorDoc {
  name: string;
  description: string;
  source: SourceRef;
}

export type NetworkUsage = 'no' | 'interactive' | 'background';

export interface CommandDoc {
  name: string;
  /** The category (its heading text) this command is listed under. */
  category: string;
  description: string;
  networkUsage?: NetworkUsage;
  /** Parameters in documented order; `undefined` when the command has no `**Parameters**:` section. */
  params?: Field[];
  syntax: SyntaxBlock;
  responses: ResponseDoc[];
  errors?: ErrorDoc[];
  /** Set when a parameter line did not parse: the syntax is then not checked against the partial list. */
  incomplete?: true;
  source: SourceRef;
  since?: string;
}

export interface CommandCategory {
  name: string;
  description: string;
  /** Command names in documented order. */
  commands: string[];
  source: SourceRef;
}

export interface EnumValue {
  value: string;
  source: SourceRef;
  since?: string;
}

export interface UnionMember {
  name: string;
  /** The `type` tag value of this member. */
  tag: string;
  /** All fields as documented, the `type` tag first. */
  fields: Field[];
  source: SourceRef;
  since?: string;
}

interface TypeDocBase {
  name: string;
  description: string;
  syntax?: SyntaxBlock;
  source: SourceRef;
  since?: string;
}

export interface RecordTypeDoc extends TypeDocBase {
  kind: 'record';
  fields: Field[];
}

export interface EnumTypeDoc extends TypeDocBase {
  kind: 'enum';
  values: EnumValue[];
}

export interface UnionTypeDoc extends TypeDocBase {
  kind: 'union';
  members: UnionMember[];
}

export type TypeDoc = RecordTypeDoc | EnumTypeDoc | UnionTypeDoc;

export interface EventDoc {
  name: string;
  description: string;
  /** The `type` tag value. */
  tag: string;
  /** All fields as documented, the `type` tag first. */
  fields: Field[];
  source: SourceRef;
  since?: string;
}

export interface EventCategory {
  name: string;
  description: string;
  /** Events the category lists as main (may be empty: then the table of contents is a flat list). */
  mainEvents: string[];
  otherEvents: string[];
  source: SourceRef;
}

/** The title and preamble of a document, kept so that the docs emitter reproduces them. */
export interface DocHeader {
  title: string;
  /** Markdown between the title and the table of contents. */
  preamble: string;
}

export interface SourceFile {
  /** The file name relative to the spec directory, e.g. `COMMANDS.md` (never an absolute path). */
  file: string;
  header: DocHeader;
}

export interface ApiModel {
  /** The documents that were read, by kind. COMMANDS is always present. */
  sources: Partial<Record<DocKind, SourceFile>>;
  commandCategories: CommandCategory[];
  /** Commands in documented order. */
  commands: CommandDoc[];
  /** Types in documented order (upstream sorts them by name). */
  types: TypeDoc[];
  eventCategories: EventCategory[];
  /** Events in documented order. */
  events: EventDoc[];
  /** Set when a history of versions is configured: the items carry `since`, and this says what the versions were. */
  history?: ModelHistory;
}

/** The versions a history compared, and what the last one removed. */
export interface ModelHistory {
  /** Version labels, oldest first; the last is the version of this model. */
  versions: string[];
  /** Items of the version before the last that the last no longer has. */
  removed: {
    key: string;
    kind: 'command' | 'response' | 'event' | 'type';
    name: string;
    member?: string;
    parameter?: string;
    field?: string;
    value?: string;
    lastIn: string;
  }[];
}
