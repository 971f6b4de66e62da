/** Compiling a command: every node of its syntax becomes a matcher that knows what can follow it. */
import { CommandParseError, type CommandTable, type First, FIXED, type Follow, type Matcher, type ParamSpec, type Reader, type SyntaxOwner, type SyntaxTree, VALUE } from './syntax.js';
import { canStart, consume, consumeAll, failAt, literal, lookup } from './search.js';
import { bind, byLength, freeTextReader, INT, INT_FULL, jsonReader, NUMBER, NUMBER_FULL, tokenReader, typeValue } from './values.js';

export const ANY: First = { lits: [], any: true, nullable: false };
export const FREE_TEXT: First = { lits: [], any: true, nullable: true };

export function fixed(...texts: string[]): First {
  const lits = texts.filter((t) => t !== '');
  return { lits, any: false, nullable: lits.length < texts.length };
}

export function followOf(first: First, after: Follow): Follow {
  if (!first.nullable) return { lits: first.lits, any: first.any, end: false };
  return { lits: [...new Set([...first.lits, ...after.lits])], any: first.any || after.any, end: after.end };
}

export function seqFirst(parts: readonly First[]): First {
  const lits: string[] = [];
  let any = false;
  for (const p of parts) {
    for (const l of p.lits) if (!lits.includes(l)) lits.push(l);
    any = any || p.any;
    if (!p.nullable) return { lits, any, nullable: false };
  }
  return { lits, any, nullable: true };
}

export class Compiler {
  private readonly table: CommandTable;
  private readonly typeMatchers = new Map<string, Matcher>();

  constructor(table: CommandTable) {
    this.table = table;
  }

  first(node: SyntaxTree, specs: SyntaxOwner['params']): First {
    switch (node.kind) {
      case 'seq':
        return seqFirst(node.items.map((n) => this.first(n, specs)));
      case 'text':
        return fixed(node.value);
      case 'param':
        return this.valueFirst(specs[node.name] ?? { k: 'string' }, node.form);
      case 'join':
        return this.valueFirst(this.element(specs[node.name]), 'plain');
      case 'bool':
        return fixed(`${node.label}on`, `${node.label}off`);
      case 'flag':
        return { lits: node.text ? [node.text] : [], any: false, nullable: true };
      case 'optional':
      case 'tagGuard': {
        const f = this.first(node.body, specs);
        return { lits: f.lits, any: f.any, nullable: true };
      }
      case 'enum': {
        const values = this.enumValues(node, specs);
        return { lits: values, any: false, nullable: false };
      }
      case 'valueMap':
        return { lits: node.cases.map((c) => c.text).filter((t) => t !== ''), any: false, nullable: false };
    }
  }

  valueFirst(spec: ParamSpec, form: 'plain' | 'str' | 'json'): First {
    if (form === 'json' || spec.k === 'json') return ANY;
    switch (spec.k) {
      case 'string':
        return FREE_TEXT;
      case 'int':
      case 'number':
        return ANY;
      case 'bool':
        return fixed('true', 'false');
      case 'enum':
        return { lits: spec.values.filter((v) => v !== ''), any: false, nullable: false };
      case 'list': {
        const f = this.valueFirst(spec.of, 'plain');
        return { lits: f.lits, any: f.any, nullable: true };
      }
      case 'ref': {
        const type = this.table.types[spec.type];
        if (form === 'str' && type?.syntax) return this.first(type.syntax, type.params);
        if (type?.values) return { lits: type.values.filter((v) => v !== ''), any: false, nullable: false };
        return { lits: [], any: false, nullable: false };
      }
      case 'none':
        return { lits: [], any: false, nullable: false };
    }
  }

  element(spec: ParamSpec | undefined): ParamSpec {
    return spec?.k === 'list' ? spec.of : { k: 'string' };
  }

  enumValues(node: { name: string; values: readonly string[] }, specs: SyntaxOwner['params']): string[] {
    // The builder writes the parameter's value as it is: any value of its enum type, listed here or not.
    const spec = specs[node.name];
    const typeValues = spec?.k === 'ref' ? this.table.types[spec.type]?.values : spec?.k === 'enum' ? spec.values : undefined;
    return byLength([...new Set([...node.values, ...(typeValues ?? [])])].filter((v) => v !== ''));
  }

  node(node: SyntaxTree, specs: SyntaxOwner['params'], follow: Follow): Matcher {
    switch (node.kind) {
      case 'seq': {
        const items = node.items;
        const matchers: Matcher[] = new Array(items.length);
        let after = follow;
        for (let i = items.length - 1; i >= 0; i--) {
          matchers[i] = this.node(items[i]!, specs, after);
          after = followOf(this.first(items[i]!, specs), after);
        }
        if (matchers.length === 0) return (_r, pos, env, then) => then(pos, env);
        const at = (i: number): Matcher => {
          if (i === matchers.length - 1) return matchers[i]!;
          const m = matchers[i]!;
          const rest = at(i + 1);
          return (r, pos, env, then) => m(r, pos, env, (q, e) => rest(r, q, e, then));
        };
        return at(0);
      }
      case 'text': {
        const value = node.value;
        return (r, pos, env, then) => {
          if (!literal(r, value, pos)) return;
          const end = pos + value.length;
          consume(r, pos, end, FIXED, () => then(end, env));
        };
      }
      case 'param': {
        const name = node.name;
        const read = this.value(specs[name] ?? { k: 'string' }, node.form, follow);
        return (r, pos, env, then) => read(r, pos, (q, v) => then(q, bind(env, name, v)));
      }
      case 'join': {
        const name = node.name;
        const read = this.list(this.element(specs[name]), node.separator, false, follow);
        return (r, pos, env, then) => read(r, pos, (q, v) => then(q, bind(env, name, v)));
      }
      case 'bool': {
        const { name, label } = node;
        return (r, pos, env, then) => {
          if (!literal(r, label, pos)) return;
          const at = pos + label.length;
          for (const [word, v] of [['on', true], ['off', false]] as const)
            if (literal(r, word, at)) consume(r, pos, at + word.length, FIXED, () => then(at + word.length, bind(env, name, v)));
        };
      }
      case 'flag': {
        const { name, text, when } = node;
        return (r, pos, env, then) => {
          if (text && literal(r, text, pos)) consume(r, pos, pos + text.length, FIXED, () => then(pos + text.length, bind(env, name, when)));
          then(pos, bind(env, name, !when));
        };
      }
      case 'optional': {
        const body = this.node(node.body, specs, follow);
        // The part first: a reading that consumes it is the more specific one.
        return (r, pos, env, then) => {
          body(r, pos, env, then);
          then(pos, env);
        };
      }
      case 'enum': {
        const name = node.name;
        const values = this.enumValues(node, specs);
        return (r, pos, env, then) => {
          for (const v of values) {
            if (r.text.startsWith(v, pos)) consume(r, pos, pos + v.length, FIXED, () => then(pos + v.length, bind(env, name, v)));
            else if (r.record) failAt(r, pos, JSON.stringify(v));
          }
        };
      }
      case 'valueMap': {
        // The fallback is written for values the syntax does not list: it names no value to read back.
        const name = node.name;
        const cases = node.cases.filter((c) => c.text !== '');
        return (r, pos, env, then) => {
          for (const c of cases) {
            if (r.text.startsWith(c.text, pos)) consume(r, pos, pos + c.text.length, FIXED, () => then(pos + c.text.length, bind(env, name, c.value)));
            else if (r.record) failAt(r, pos, JSON.stringify(c.text));
          }
        };
      }
      case 'tagGuard': {
        const { name, absent } = node;
        const body = this.node(node.body, specs, follow);
        return (r, pos, env, then) => {
          const tag = lookup(env, name);
          if (typeof tag === 'string' && absent.includes(tag)) return then(pos, env);
          return body(r, pos, env, then);
        };
      }
    }
  }

  /** Every way a value of `spec` can be read at a position, given what follows it. */
  value(spec: ParamSpec, form: 'plain' | 'str' | 'json', follow: Follow): Reader {
    if (form === 'json' || spec.k === 'json') return jsonReader(follow);
    switch (spec.k) {
      case 'ref': {
        const type = this.table.types[spec.type];
        if (form === 'str' && type?.syntax) {
          const key = `${spec.type}\u0000${JSON.stringify(follow)}`;
          let m = this.typeMatchers.get(key);
          if (!m) {
            m = this.node(type.syntax, type.params, follow);
            this.typeMatchers.set(key, m);
          }
          const matcher = m;
          const finish = typeValue(type);
          return (r, pos, then) =>
            matcher(r, pos, null, (q, env) => {
              const v = finish(env);
              if (v === undefined) failAt(r, q, `a member of ${spec.type}`);
              else then(q, v);
            });
        }
        if (type?.values) return this.value({ k: 'enum', values: type.values }, 'plain', follow);
        return (r, pos) => failAt(r, pos, `${spec.type} written by its syntax`);
      }
      case 'string':
        return freeTextReader(follow);
      case 'int':
      case 'number': {
        const re = spec.k === 'int' ? INT : NUMBER;
        const full = spec.k === 'int' ? INT_FULL : NUMBER_FULL;
        const what = spec.k === 'int' ? 'an integer' : 'a number';
        return (r, pos, then) => {
          const m = re.exec(r.text.slice(pos, pos + 40));
          if (!m) return failAt(r, pos, what);
          // The longest number first; a shorter one only where what follows can start (`<a><b>` with two integers).
          for (let len = m[0].length; len > 0; len--) {
            const s = m[0].slice(0, len);
            if ((len === m[0].length || canStart(r, follow, pos + len)) && full.test(s)) consume(r, pos, pos + len, VALUE, () => then(pos + len, Number(s)));
          }
        };
      }
      case 'bool':
        return (r, pos, then) => {
          for (const [word, v] of [['true', true], ['false', false]] as const) {
            if (r.text.startsWith(word, pos)) consume(r, pos, pos + word.length, FIXED, () => then(pos + word.length, v));
            else if (r.record) failAt(r, pos, `"${word}"`);
          }
        };
      case 'enum': {
        const values = byLength(spec.values.filter((v) => v !== ''));
        return (r, pos, then) => {
          for (const v of values) {
            if (r.text.startsWith(v, pos)) consume(r, pos, pos + v.length, FIXED, () => then(pos + v.length, v));
            else if (r.record) failAt(r, pos, JSON.stringify(v));
          }
        };
      }
      case 'list':
        // A list named plainly is written with its elements joined by ",", and as nothing when it is empty.
        return this.list(spec.of, ',', true, follow);
      case 'none':
        return (r, pos) => failAt(r, pos, 'a value that can be read back');
    }
  }

  /** Elements joined by `separator` (at least one unless `empty`): read in a loop, the longest list first. */
  list(element: ParamSpec, separator: string, empty: boolean, follow: Follow): Reader {
    const elementFollow: Follow = { lits: [...new Set([separator, ...follow.lits])], any: follow.any, end: follow.end };
    const token = tokenReader(element, this.table);
    if (token) {
      return (r, pos, then) => {
        const items: unknown[] = [];
        const spans: number[] = [];
        let p = pos;
        let t = token(r, p);
        while (t) {
          items.push(t.value);
          spans.push(p, t.end, t.kind);
          p = t.end;
          // The separator belongs to the list only when an element follows it.
          const next = r.text.startsWith(separator, p) ? token(r, p + separator.length) : null;
          if (!next) break;
          spans.push(p, p + separator.length, FIXED);
          p += separator.length;
          t = next;
        }
        if (r.steps + items.length > r.budget) throw new CommandParseError(r.text, 'limit', pos + 1, [r.owner], ['fewer list elements']);
        r.steps += items.length;
        for (let k = items.length; k >= (empty ? 0 : 1); k--) {
          // [element, separator, element, ...]: k elements end at span index 6k - 3 (the element's end).
          const end = k === 0 ? pos : spans[6 * k - 5]!;
          if (k < items.length && !canStart(r, follow, end)) continue;
          consumeAll(r, spans, Math.max(0, 6 * k - 3), () => then(end, items.slice(0, k)));
        }
      };
    }
    const read = this.value(element, 'plain', elementFollow);
    return (r, pos, then) => {
      if (empty) then(pos, []);
      const more = (p: number, items: unknown[]): void => {
        then(p, items);
        if (r.text.startsWith(separator, p)) consume(r, p, p + separator.length, FIXED, () => read(r, p + separator.length, (q, v) => more(q, [...items, v])));
      };
      read(r, pos, (q, v) => more(q, [v]));
    };
  }
}
