/** Records which kinds of values a property test drew for each parameter, and says what it missed. */
import type { Field, TypeDoc } from '../../src/model/types.js';
import { unwrapOptional } from '../../src/parse/typeExpr.js';

export class DrawCoverage {
  private readonly seen = new Map<string, Set<string>>();

  note(owner: string, fields: readonly Field[], values: Record<string, unknown>): void {
    for (const f of fields) {
      const key = `${owner}.${f.name}`;
      const set = this.seen.get(key) ?? new Set<string>();
      this.seen.set(key, set);
      const v = values[f.name];
      set.add(v === undefined ? 'absent' : 'present');
      if (v === '') set.add('empty string');
      if (typeof v === 'string' && v !== '') set.add('non-empty string');
      if (v === 0) set.add('0');
      if (v === true) set.add('true');
      if (v === false) set.add('false');
      if (typeof v === 'string') set.add(`value:${v}`);
    }
  }

  /** What each parameter should have been drawn as, given its type. */
  missing(owner: string, fields: readonly Field[], types: ReadonlyMap<string, TypeDoc>, alwaysPresent: ReadonlySet<string>): string[] {
    const out: string[] = [];
    for (const f of fields) {
      const set = this.seen.get(`${owner}.${f.name}`) ?? new Set<string>();
      const { type, optional } = unwrapOptional(f.type);
      const want: string[] = [];
      if (optional && !alwaysPresent.has(f.name)) want.push('absent', 'present');
      if (type.kind === 'primitive' && type.name === 'string') want.push('empty string', 'non-empty string');
      if (type.kind === 'primitive' && /^(int|word)\d*$/.test(type.name)) want.push('0');
      if (type.kind === 'primitive' && type.name === 'bool') want.push('true', 'false');
      const t = type.kind === 'ref' ? types.get(type.name) : undefined;
      if (t?.kind === 'enum') want.push(...t.values.map((v) => `value:${v.value}`));
      for (const w of want) if (!set.has(w)) out.push(`${owner}.${f.name}: never drawn ${w}`);
    }
    return out;
  }
}
