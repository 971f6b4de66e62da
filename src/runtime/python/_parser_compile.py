"""Compiling a command for the command parser: every node of its syntax becomes a matcher that knows what can
follow it."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ._parser_steps import ANY, by_length, can_start, CommandParseError, consume, consume_all, fail_at, FIXED, fixed_first, follow_of, FREE_TEXT, INT, INT_FULL, js_json, literal_at, lookup, Matcher, NUMBER, NUMBER_FULL, Reader, Run, seq_first, VALUE
from ._parser_values import free_text_reader, js_number, json_reader, token_reader, type_value

__all__ = ["Compiler"]


class Compiler:
    """Every node becomes a matcher that knows what can follow it (a First and a Follow are (lits, any, nullable|end))."""

    def __init__(self, table: Dict[str, Any]) -> None:
        self.types: Dict[str, Any] = table["types"]
        self.type_matchers: Dict[Any, Any] = {}

    def first(self, node: Dict[str, Any], specs: Dict[str, Any]) -> Any:
        kind = node["kind"]
        if kind == "seq":
            return seq_first([self.first(n, specs) for n in node["items"]])
        if kind == "text":
            return fixed_first(node["value"])
        if kind == "param":
            return self.value_first(specs.get(node["name"], {"k": "string"}), node["form"])
        if kind == "join":
            return self.value_first(self.element(specs.get(node["name"])), "plain")
        if kind == "bool":
            return fixed_first(node["label"] + "on", node["label"] + "off")
        if kind == "flag":
            return ((node["text"],) if node["text"] else (), False, True)
        if kind in ("optional", "tagGuard"):
            f = self.first(node["body"], specs)
            return (f[0], f[1], True)
        if kind == "enum":
            return (tuple(self.enum_values(node, specs)), False, False)
        return (tuple(c["text"] for c in node["cases"] if c["text"] != ""), False, False)

    def value_first(self, spec: Dict[str, Any], form: str) -> Any:
        k = spec["k"]
        if form == "json" or k == "json":
            return ANY
        if k == "string":
            return FREE_TEXT
        if k in ("int", "number"):
            return ANY
        if k == "bool":
            return fixed_first("true", "false")
        if k == "enum":
            return (tuple(v for v in spec["values"] if v != ""), False, False)
        if k == "list":
            f = self.value_first(spec["of"], "plain")
            return (f[0], f[1], True)
        if k == "ref":
            entry = self.types.get(spec["type"])
            if form == "str" and entry is not None and "syntax" in entry:
                return self.first(entry["syntax"], entry["params"])
            if entry is not None and "values" in entry:
                return (tuple(v for v in entry["values"] if v != ""), False, False)
        return ((), False, False)

    def element(self, spec: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        return spec["of"] if spec is not None and spec["k"] == "list" else {"k": "string"}

    def enum_values(self, node: Dict[str, Any], specs: Dict[str, Any]) -> List[str]:
        # The builder writes the parameter's value as it is: any value of its enum type, listed here or not.
        spec = specs.get(node["name"])
        values: List[str] = list(node["values"])
        if spec is not None and spec["k"] == "ref":
            values += self.types.get(spec["type"], {}).get("values", [])
        elif spec is not None and spec["k"] == "enum":
            values += spec["values"]
        return by_length([v for v in dict.fromkeys(values) if v != ""])

    def node(self, node: Dict[str, Any], specs: Dict[str, Any], follow: Any) -> Matcher:
        kind = node["kind"]
        if kind == "seq":
            items = node["items"]
            matchers: List[Any] = [None] * len(items)
            after = follow
            for i in range(len(items) - 1, -1, -1):
                matchers[i] = self.node(items[i], specs, after)
                after = follow_of(self.first(items[i], specs), after)
            if not matchers:
                return lambda r, pos, env, then: then(pos, env)

            def chain(m: Matcher, rest: Matcher) -> Matcher:
                return lambda r, pos, env, then: m(r, pos, env, lambda q, e: rest(r, q, e, then))

            out = matchers[-1]
            for m in reversed(matchers[:-1]):
                out = chain(m, out)
            return out
        if kind == "text":
            value = node["value"]

            def text(r: Run, pos: int, env: Any, then: Any) -> None:
                if literal_at(r, value, pos):
                    end = pos + len(value)
                    consume(r, pos, end, FIXED, lambda: then(end, env))

            return text
        if kind == "param":
            name = node["name"]
            read = self.value(specs.get(name, {"k": "string"}), node["form"], follow)
            return lambda r, pos, env, then: read(r, pos, lambda q, v: then(q, (name, v, env)))
        if kind == "join":
            name = node["name"]
            read = self.joined(self.element(specs.get(name)), node["separator"], False, follow)
            return lambda r, pos, env, then: read(r, pos, lambda q, v: then(q, (name, v, env)))
        if kind == "bool":
            name, label = node["name"], node["label"]

            def bool_(r: Run, pos: int, env: Any, then: Any) -> None:
                if not literal_at(r, label, pos):
                    return
                at = pos + len(label)
                for word, v in (("on", True), ("off", False)):
                    if literal_at(r, word, at):
                        end = at + len(word)
                        consume(r, pos, end, FIXED, lambda end=end, v=v: then(end, (name, v, env)))  # type: ignore[misc]

            return bool_
        if kind == "flag":
            name, text_, when = node["name"], node["text"], node["when"]

            def flag(r: Run, pos: int, env: Any, then: Any) -> None:
                if text_ and literal_at(r, text_, pos):
                    end = pos + len(text_)
                    consume(r, pos, end, FIXED, lambda: then(end, (name, when, env)))
                then(pos, (name, not when, env))

            return flag
        if kind == "optional":
            body = self.node(node["body"], specs, follow)

            def optional(r: Run, pos: int, env: Any, then: Any) -> None:
                # The part first: a reading that consumes it is the more specific one.
                body(r, pos, env, then)
                then(pos, env)

            return optional
        if kind == "enum" or kind == "valueMap":
            # Fixed texts, each read back as its value. A valueMap's fallback is written for values the syntax does
            # not list: it names no value to read back.
            name = node["name"]
            cases = [(v, v) for v in self.enum_values(node, specs)] if kind == "enum" else [(c["text"], c["value"]) for c in node["cases"] if c["text"] != ""]

            def fixed_choice(r: Run, pos: int, env: Any, then: Any) -> None:
                for case_text, case_value in cases:
                    if r.text.startswith(case_text, pos):
                        end = pos + len(case_text)
                        consume(r, pos, end, FIXED, lambda end=end, v=case_value: then(end, (name, v, env)))  # type: ignore[misc]
                    elif r.record:
                        fail_at(r, pos, js_json(case_text))

            return fixed_choice
        # tagGuard
        name, absent = node["name"], node["absent"]
        body = self.node(node["body"], specs, follow)

        def tag_guard(r: Run, pos: int, env: Any, then: Any) -> None:
            tag = lookup(env, name)
            if isinstance(tag, str) and tag in absent:
                then(pos, env)
            else:
                body(r, pos, env, then)

        return tag_guard

    def value(self, spec: Dict[str, Any], form: str, follow: Any) -> Reader:
        # Every way a value of spec can be read at a position, given what follows it.
        k = spec["k"]
        if form == "json" or k == "json":
            return json_reader(follow)
        if k == "ref":
            type_name = spec["type"]
            entry = self.types.get(type_name)
            if form == "str" and entry is not None and "syntax" in entry:
                key = (type_name, follow)
                matcher = self.type_matchers.get(key)
                if matcher is None:
                    matcher = self.node(entry["syntax"], entry["params"], follow)
                    self.type_matchers[key] = matcher
                finish = type_value(entry)

                def ref(r: Run, pos: int, then: Any) -> None:
                    def done(q: int, env: Any) -> None:
                        v = finish(env)
                        if v is None:
                            fail_at(r, q, "a member of %s" % type_name)
                        else:
                            then(q, v)

                    matcher(r, pos, None, done)

                return ref
            if entry is not None and "values" in entry:
                return self.value({"k": "enum", "values": entry["values"]}, "plain", follow)
            return lambda r, pos, then: fail_at(r, pos, "%s written by its syntax" % type_name)
        if k == "string":
            return free_text_reader(follow)
        if k in ("int", "number"):
            pattern = INT if k == "int" else NUMBER
            full = INT_FULL if k == "int" else NUMBER_FULL
            what = "an integer" if k == "int" else "a number"
            is_int = k == "int"

            def number(r: Run, pos: int, then: Any) -> None:
                m = pattern.match(r.text, pos, pos + 40)
                if not m:
                    fail_at(r, pos, what)
                    return
                s = m.group(0)
                # The longest number first; a shorter one only where what follows can start.
                for n in range(len(s), 0, -1):
                    if (n == len(s) or can_start(r, follow, pos + n)) and full.match(s[:n]):
                        v = int(s[:n]) if is_int else js_number(s[:n])
                        consume(r, pos, pos + n, VALUE, lambda n=n, v=v: then(pos + n, v))  # type: ignore[misc]

            return number
        if k == "bool":

            def boolean(r: Run, pos: int, then: Any) -> None:
                for word, v in (("true", True), ("false", False)):
                    if r.text.startswith(word, pos):
                        consume(r, pos, pos + len(word), FIXED, lambda word=word, v=v: then(pos + len(word), v))  # type: ignore[misc]
                    elif r.record:
                        fail_at(r, pos, '"%s"' % word)

            return boolean
        if k == "enum":
            values = by_length([v for v in spec["values"] if v != ""])

            def enum_value(r: Run, pos: int, then: Any) -> None:
                for v in values:
                    if r.text.startswith(v, pos):
                        consume(r, pos, pos + len(v), FIXED, lambda v=v: then(pos + len(v), v))  # type: ignore[misc]
                    elif r.record:
                        fail_at(r, pos, js_json(v))

            return enum_value
        if k == "list":
            # A list named plainly is written with its elements joined by ",", and as nothing when it is empty.
            return self.joined(spec["of"], ",", True, follow)
        return lambda r, pos, then: fail_at(r, pos, "a value that can be read back")

    def joined(self, element: Dict[str, Any], separator: str, empty: bool, follow: Any) -> Reader:
        # Elements joined by separator (at least one unless empty): read in a loop, the longest list first.
        element_follow = (tuple(dict.fromkeys((separator,) + follow[0])), follow[1], follow[2])
        token = token_reader(element, self.types)
        if token is not None:
            tok = token

            def tokens(r: Run, pos: int, then: Any) -> None:
                items: List[Any] = []
                spans: List[int] = []
                p = pos
                while True:
                    t = tok(r, p)
                    if t is None:
                        break
                    end, v, kind = t
                    items.append(v)
                    spans.extend((p, end, kind))
                    p = end
                    if not r.text.startswith(separator, p) or tok(r, p + len(separator)) is None:
                        break
                    spans.extend((p, p + len(separator), FIXED))
                    p += len(separator)
                if r.steps + len(items) > r.budget:
                    raise CommandParseError(r.text, "limit", pos + 1, [r.owner], ["fewer list elements"])
                r.steps += len(items)
                for k in range(len(items), (0 if empty else 1) - 1, -1):
                    end = pos if k == 0 else spans[6 * k - 5]
                    if k < len(items) and not can_start(r, follow, end):
                        continue
                    consume_all(r, spans, max(0, 6 * k - 3), lambda end=end, k=k: then(end, items[:k]))  # type: ignore[misc]

            return tokens
        read = self.value(element, "plain", element_follow)

        def elements(r: Run, pos: int, then: Any) -> None:
            if empty:
                then(pos, [])

            def more(p: int, items: List[Any]) -> None:
                then(p, items)
                if r.text.startswith(separator, p):
                    q0 = p + len(separator)
                    consume(r, p, q0, FIXED, lambda: read(r, q0, lambda q, v: more(q, items + [v])))

            read(r, pos, lambda q, v: more(q, [v]))

        return elements
