/** What an API change is: its level, subject and place, and the helpers every comparison shares. */
import type { DocKind, SourceRef, TypeExpr } from '../model/types.js';
import { formatTypeExpr } from '../parse/typeExpr.js';

export type ChangeLevel = 'breaking' | 'warning' | 'info';
export const LEVELS: readonly ChangeLevel[] = ['breaking', 'warning', 'info'];

export type ChangeKind = 'command' | 'response' | 'event' | 'type';

/** A place in one version's documents. */
export interface ChangeAt {
  file: string;
  line: number;
  column: number;
}

export interface ApiChange {
  level: ChangeLevel;
  /** The rule that classified it (see the README's table). */
  rule: string;
  /** What it is about: a command, a response (shared by commands), an event or a type, by name. */
  kind: ChangeKind;
  name: string;
  /** The union member (of a type) the change is in. */
  member?: string;
  /** The command parameter the change is about. */
  parameter?: string;
  /** The field (of a record, union member, response or event) the change is about. */
  field?: string;
  change: 'added' | 'removed' | 'changed';
  /** Human-readable one-line summary. */
  message: string;
  old?: string;
  new?: string;
  /** Where it is in the old and in the new version (the nearest enclosing node when it is not in one). */
  oldAt?: ChangeAt;
  newAt?: ChangeAt;
  /** A parameter added or removed together with the part of the syntax that writes it: the syntax before and after. */
  syntax?: { old: string; new: string };
  /** Set on changes to a command the generated bot framework sends (bot.ts, bot.py): its binding regenerates. */
  usedByBot?: true;
}

/** `command APISendMessages`, `type ChatItem member X field y`: the subject as the messages name it. */
export function subjectOf(c: Pick<ApiChange, 'kind' | 'name' | 'member' | 'parameter' | 'field'>): string {
  return [`${c.kind} ${c.name}`, c.member ? `member ${c.member}` : '', c.parameter ? `parameter ${c.parameter}` : '', c.field ? `field ${c.field}` : ''].filter(Boolean).join(' ');
}

/** `APISendMessages.ttl`, `ChatItem.X.y`: what an ignore entry names. */
export function pathOf(c: Pick<ApiChange, 'name' | 'member' | 'parameter' | 'field'>): string {
  return [c.name, c.member, c.parameter, c.field].filter((x) => x !== undefined).join('.');
}

/** The display path of each version's documents, for positions. */
export interface CompareFiles {
  old?: Partial<Record<DocKind, string>>;
  new?: Partial<Record<DocKind, string>>;
}

/** Type expressions compared without their link targets (`./TYPES.md#x` and `#x` are the same type). */
export function typeText(t: TypeExpr): string {
  return formatTypeExpr(t, (name) => `[${name}]`);
}

export type Direction = { sent: boolean; received: boolean };

export const strictest = (...levels: ChangeLevel[]): ChangeLevel => LEVELS.find((l) => levels.includes(l)) ?? 'info';

/** A change before its positions are looked up: the nodes it is about, on each side. */
export type Draft = Omit<ApiChange, 'oldAt' | 'newAt'> & { oldRef?: SourceRef; newRef?: SourceRef };
export type Push = (c: Draft) => void;
/** What a change is about, without the field: the command, response, event or type (and union member). */
export type Owner = Pick<ApiChange, 'kind' | 'name' | 'member'>;
