"""Command strings read back by the bound syntax trees of a command table (simplex-api-codegen's Python runtime,
copied verbatim into each generated package; ``_parse.py`` holds the package's table)."""

from __future__ import annotations

import json
import json.scanner
import re
from typing import Any, Callable, Dict, List, Optional, Tuple, cast

__all__ = ["CommandParseError", "parse_command_by_search", "parse_command_with"]


# ---- The interpreter: the same reading as simplex-api-codegen's src/runtime/commandParser.ts ----
# It interprets the bound syntax tree of each command (the one the builders are rendered from), never a grammar
# of its own.
#
# Which reading wins, as the chat core's parsers decide: every character of a reading is consumed by fixed text (a
# literal, keyword, enum value, on/off: the most specific), by a typed value (an integer, a number, JSON), or by
# free text (the least specific). Of the readings that fit, the one whose sequence of kinds is greatest, compared
# character by character from the left, wins. Readings whose sequences are equal are truly ambiguous: reported
# with every candidate, or, with ``prefer="first"``, the first in document order wins.
#
# The search is linear in the length of the string: free text ends only where what follows it can start (found
# by ``str.find``, shortest first), a JSON value that ends the string is handed to ``json.loads`` whole, joined
# lists are read in a loop, and once a reading is known every other one is cut at its first less specific
# character.

_FREE = 0
_VALUE = 1
_FIXED = 2
_STEPS_PER_CHAR = 64
_MIN_STEPS = 100_000
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_INT_FULL = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?")
_NUMBER_FULL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?\Z")
_JSON_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null")
_JSON_SPACE = " \t\n\r"


class CommandParseError(ValueError):
    """Why a string could not be read: no command fits it (reason "no-match"), equally specific readings do
    ("ambiguous"), or it is beyond the parser's limits ("limit")."""

    def __init__(self, text: str, reason: str, column: int, closest: List[str], expected: Optional[List[str]] = None) -> None:
        self.text = text
        self.reason = reason
        #: 1-based column where matching failed (no-match), where the readings part (ambiguous) or the limit was met.
        self.column = column
        #: The commands that came closest (no-match), or every command with an equally specific reading (ambiguous).
        self.closest = closest
        #: What was expected at ``column`` (no-match).
        self.expected = expected or []
        if reason == "ambiguous":
            message = "ambiguous command string: equally specific readings of %s fit %s" % (", ".join(closest), _quote(text))
        elif reason == "limit":
            message = "command string beyond the parser's limits at column %d: %s" % (column, "; ".join(self.expected))
        else:
            message = "no command matches %s: at column %d%s%s" % (
                _quote(text),
                column,
                (" expected " + " or ".join(self.expected[:5])) if self.expected else "",
                (" (closest: %s)" % ", ".join(closest)) if closest else "",
            )
        super().__init__(message)


def _js_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _quote(text: str) -> str:
    return _js_json(text[:100] + "\u2026" + text[-60:] if len(text) > 200 else text)


class _Run:
    """The state of one call of parse_command_with."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.steps = 0
        self.budget = _MIN_STEPS + _STEPS_PER_CHAR * len(text)
        self.best: Optional[Dict[str, Any]] = None
        self.best_segments: List[int] = []
        self.version = 0
        self.ties: List[Dict[str, Any]] = []
        self.greater = False
        self.spans: List[int] = []
        self.record = False
        self.furthest = -1
        self.expected: List[str] = []
        self.closest_by: Dict[str, int] = {}
        self.owner = ""
        self.json: Dict[int, Optional[Any]] = {}


#: What a reading goes on with: the position reached and the parameters bound so far.
_Then = Callable[[int, Any], None]
#: Matches a syntax node at a position, calling ``then`` with every way it can end.
_Matcher = Callable[[_Run, int, Any, _Then], None]
#: Reads a parameter's value at a position, calling ``then`` with each end and value.
_Reader = Callable[[_Run, int, _Then], None]


def _env_object(env: Any) -> Dict[str, Any]:
    # Bound values (a list, newest first) as a dict in the order the syntax binds them.
    pairs: List[Any] = []
    seen: List[str] = []
    while env is not None:
        name, value, env = env
        if name not in seen:
            seen.append(name)
            pairs.append((name, value))
    return dict(reversed(pairs))


def _lookup(env: Any, name: str) -> Any:
    while env is not None:
        if env[0] == name:
            return env[1]
        env = env[2]
    return None


def _merge_spans(spans: List[int]) -> List[int]:
    out: List[int] = []
    for i in range(0, len(spans), 3):
        if out and out[-2] == spans[i] and out[-1] == spans[i + 2]:
            out[-2] = spans[i + 1]
        else:
            out.extend(spans[i : i + 3])
    return out


def _segment_at(seg: List[int], pos: int) -> int:
    lo, hi = 0, len(seg) // 3 - 1
    while lo < hi:
        mid = (lo + hi + 1) >> 1
        if seg[mid * 3] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo * 3


def _compare_to_best(r: _Run, a: int, b: int, kind: int) -> int:
    seg = r.best_segments
    i = _segment_at(seg, a)
    while i < len(seg) and seg[i] < b:
        if seg[i + 2] != kind:
            return 1 if seg[i + 2] < kind else -1
        i += 3
    return 0


def _free_until(r: _Run, pos: int) -> int:
    seg = r.best_segments
    i = _segment_at(seg, pos)
    while i < len(seg) and seg[i + 2] == _FREE:
        i += 3
    return seg[i] if i < len(seg) else r.n


def _consume(r: _Run, a: int, b: int, kind: int, then: Callable[[], None]) -> None:
    # Consumes [a, b) as kind and goes on, unless that makes the reading less specific than the best.
    r.steps += 1
    if r.steps > r.budget:
        raise CommandParseError(r.text, "limit", a + 1, [r.owner], ["fewer readings to explore"])
    if a == b:
        then()
        return
    greater = r.greater
    version = r.version
    if r.best is not None and not greater:
        c = _compare_to_best(r, a, b, kind)
        if c < 0:
            return
        if c > 0:
            r.greater = True
    depth = len(r.spans)
    r.spans.extend((a, b, kind))
    then()
    del r.spans[depth:]
    # A new best found below holds this prefix: from here on the reading is equal to it, not greater.
    r.greater = version == r.version and greater


def _consume_all(r: _Run, spans: List[int], count: int, then: Callable[[], None]) -> None:
    greater = r.greater
    version = r.version
    depth = len(r.spans)
    for i in range(0, count, 3):
        if spans[i] == spans[i + 1]:
            continue
        if r.best is not None and not r.greater:
            c = _compare_to_best(r, spans[i], spans[i + 1], spans[i + 2])
            if c < 0:
                del r.spans[depth:]
                r.greater = greater
                return
            if c > 0:
                r.greater = True
        r.spans.extend(spans[i : i + 3])
    then()
    del r.spans[depth:]
    r.greater = version == r.version and greater


def _fail_at(r: _Run, pos: int, what: str) -> None:
    if not r.record:
        return
    if pos > r.furthest:
        r.furthest = pos
        r.expected = [what]
    elif pos == r.furthest and what not in r.expected:
        r.expected.append(what)
    if pos > r.closest_by.get(r.owner, -1):
        r.closest_by[r.owner] = pos


def _literal(r: _Run, value: str, pos: int) -> bool:
    # Whether value stands at pos; if not, the failure is recorded where the text parts from it.
    if r.text.startswith(value, pos):
        return True
    if not r.record:
        return False
    k = 0
    while k < len(value) and r.text[pos + k : pos + k + 1] == value[k]:
        k += 1
    _fail_at(r, pos + k, _js_json(value[k:]))
    return False


def _can_start(r: _Run, follow: Any, pos: int) -> bool:
    lits, any_, end = follow
    if pos == r.n:
        return bool(end)
    if any_:
        return True
    return any(r.text.startswith(lit, pos) for lit in lits)


def _complete(r: _Run, command: str, pos: int, env: Any) -> None:
    if pos != r.n:
        _fail_at(r, pos, "end of the command")
        return
    reading = {"command": command, "params": _env_object(env)}
    if r.best is None or r.greater:
        # The first reading, or one more specific than the best: it is the best now, and every frame below this
        # one holds a prefix of it.
        r.best = reading
        r.best_segments = _merge_spans(r.spans)
        r.ties = []
        r.version += 1
        r.greater = False
        return
    if _same_reading(reading, r.best) or any(_same_reading(t, reading) for t in r.ties):
        return
    r.ties.append(reading)


def _same_reading(a: Dict[str, Any], b: Dict[str, Any]) -> bool:
    return bool(a["command"] == b["command"] and _equal(a["params"], b["params"]))


def _by_length(values: List[str]) -> List[str]:
    # Longest first: "internalMark" before "internal".
    return sorted(values, key=lambda v: -len(v))


def _fixed(*texts: str) -> Any:
    lits = tuple(t for t in texts if t != "")
    return (lits, False, len(lits) < len(texts))


def _follow_of(first: Any, after: Any) -> Any:
    lits, any_, nullable = first
    if not nullable:
        return (lits, any_, False)
    return (tuple(dict.fromkeys(lits + after[0])), any_ or after[1], after[2])


def _seq_first(parts: List[Any]) -> Any:
    lits: List[str] = []
    any_ = False
    for p_lits, p_any, p_nullable in parts:
        for lit in p_lits:
            if lit not in lits:
                lits.append(lit)
        any_ = any_ or p_any
        if not p_nullable:
            return (tuple(lits), any_, False)
    return (tuple(lits), any_, True)


_ANY = ((), True, False)
_FREE_TEXT = ((), True, True)


class _Compiler:
    """Every node becomes a matcher that knows what can follow it (a First and a Follow are (lits, any, nullable|end))."""

    def __init__(self, table: Dict[str, Any]) -> None:
        self.types: Dict[str, Any] = table["types"]
        self.type_matchers: Dict[Any, Any] = {}

    def first(self, node: Dict[str, Any], specs: Dict[str, Any]) -> Any:
        kind = node["kind"]
        if kind == "seq":
            return _seq_first([self.first(n, specs) for n in node["items"]])
        if kind == "text":
            return _fixed(node["value"])
        if kind == "param":
            return self.value_first(specs.get(node["name"], {"k": "string"}), node["form"])
        if kind == "join":
            return self.value_first(self.element(specs.get(node["name"])), "plain")
        if kind == "bool":
            return _fixed(node["label"] + "on", node["label"] + "off")
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
            return _ANY
        if k == "string":
            return _FREE_TEXT
        if k in ("int", "number"):
            return _ANY
        if k == "bool":
            return _fixed("true", "false")
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
        return _by_length([v for v in dict.fromkeys(values) if v != ""])

    def node(self, node: Dict[str, Any], specs: Dict[str, Any], follow: Any) -> _Matcher:
        kind = node["kind"]
        if kind == "seq":
            items = node["items"]
            matchers: List[Any] = [None] * len(items)
            after = follow
            for i in range(len(items) - 1, -1, -1):
                matchers[i] = self.node(items[i], specs, after)
                after = _follow_of(self.first(items[i], specs), after)
            if not matchers:
                return lambda r, pos, env, then: then(pos, env)

            def chain(m: _Matcher, rest: _Matcher) -> _Matcher:
                return lambda r, pos, env, then: m(r, pos, env, lambda q, e: rest(r, q, e, then))

            out = matchers[-1]
            for m in reversed(matchers[:-1]):
                out = chain(m, out)
            return out
        if kind == "text":
            value = node["value"]

            def text(r: _Run, pos: int, env: Any, then: Any) -> None:
                if _literal(r, value, pos):
                    end = pos + len(value)
                    _consume(r, pos, end, _FIXED, lambda: then(end, env))

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

            def bool_(r: _Run, pos: int, env: Any, then: Any) -> None:
                if not _literal(r, label, pos):
                    return
                at = pos + len(label)
                for word, v in (("on", True), ("off", False)):
                    if _literal(r, word, at):
                        end = at + len(word)
                        _consume(r, pos, end, _FIXED, lambda end=end, v=v: then(end, (name, v, env)))  # type: ignore[misc]

            return bool_
        if kind == "flag":
            name, text_, when = node["name"], node["text"], node["when"]

            def flag(r: _Run, pos: int, env: Any, then: Any) -> None:
                if text_ and _literal(r, text_, pos):
                    end = pos + len(text_)
                    _consume(r, pos, end, _FIXED, lambda: then(end, (name, when, env)))
                then(pos, (name, not when, env))

            return flag
        if kind == "optional":
            body = self.node(node["body"], specs, follow)

            def optional(r: _Run, pos: int, env: Any, then: Any) -> None:
                # The part first: a reading that consumes it is the more specific one.
                body(r, pos, env, then)
                then(pos, env)

            return optional
        if kind == "enum":
            name = node["name"]
            values = self.enum_values(node, specs)

            def enum(r: _Run, pos: int, env: Any, then: Any) -> None:
                for v in values:
                    if r.text.startswith(v, pos):
                        end = pos + len(v)
                        _consume(r, pos, end, _FIXED, lambda end=end, v=v: then(end, (name, v, env)))  # type: ignore[misc]
                    elif r.record:
                        _fail_at(r, pos, _js_json(v))

            return enum
        if kind == "valueMap":
            # The fallback is written for values the syntax does not list: it names no value to read back.
            name = node["name"]
            cases = [(c["text"], c["value"]) for c in node["cases"] if c["text"] != ""]

            def value_map(r: _Run, pos: int, env: Any, then: Any) -> None:
                for case_text, case_value in cases:
                    if r.text.startswith(case_text, pos):
                        end = pos + len(case_text)
                        _consume(r, pos, end, _FIXED, lambda end=end, v=case_value: then(end, (name, v, env)))  # type: ignore[misc]
                    elif r.record:
                        _fail_at(r, pos, _js_json(case_text))

            return value_map
        # tagGuard
        name, absent = node["name"], node["absent"]
        body = self.node(node["body"], specs, follow)

        def tag_guard(r: _Run, pos: int, env: Any, then: Any) -> None:
            tag = _lookup(env, name)
            if isinstance(tag, str) and tag in absent:
                then(pos, env)
            else:
                body(r, pos, env, then)

        return tag_guard

    def value(self, spec: Dict[str, Any], form: str, follow: Any) -> _Reader:
        # Every way a value of spec can be read at a position, given what follows it.
        k = spec["k"]
        if form == "json" or k == "json":
            return _json_reader(follow)
        if k == "ref":
            type_name = spec["type"]
            entry = self.types.get(type_name)
            if form == "str" and entry is not None and "syntax" in entry:
                key = (type_name, follow)
                matcher = self.type_matchers.get(key)
                if matcher is None:
                    matcher = self.node(entry["syntax"], entry["params"], follow)
                    self.type_matchers[key] = matcher
                finish = _type_value(entry)

                def ref(r: _Run, pos: int, then: Any) -> None:
                    def done(q: int, env: Any) -> None:
                        v = finish(env)
                        if v is None:
                            _fail_at(r, q, "a member of %s" % type_name)
                        else:
                            then(q, v)

                    matcher(r, pos, None, done)

                return ref
            if entry is not None and "values" in entry:
                return self.value({"k": "enum", "values": entry["values"]}, "plain", follow)
            return lambda r, pos, then: _fail_at(r, pos, "%s written by its syntax" % type_name)
        if k == "string":
            return _free_text_reader(follow)
        if k in ("int", "number"):
            pattern = _INT if k == "int" else _NUMBER
            full = _INT_FULL if k == "int" else _NUMBER_FULL
            what = "an integer" if k == "int" else "a number"
            is_int = k == "int"

            def number(r: _Run, pos: int, then: Any) -> None:
                m = pattern.match(r.text, pos, pos + 40)
                if not m:
                    _fail_at(r, pos, what)
                    return
                s = m.group(0)
                # The longest number first; a shorter one only where what follows can start.
                for n in range(len(s), 0, -1):
                    if (n == len(s) or _can_start(r, follow, pos + n)) and full.match(s[:n]):
                        v = int(s[:n]) if is_int else _number(s[:n])
                        _consume(r, pos, pos + n, _VALUE, lambda n=n, v=v: then(pos + n, v))  # type: ignore[misc]

            return number
        if k == "bool":

            def boolean(r: _Run, pos: int, then: Any) -> None:
                for word, v in (("true", True), ("false", False)):
                    if r.text.startswith(word, pos):
                        _consume(r, pos, pos + len(word), _FIXED, lambda word=word, v=v: then(pos + len(word), v))  # type: ignore[misc]
                    elif r.record:
                        _fail_at(r, pos, '"%s"' % word)

            return boolean
        if k == "enum":
            values = _by_length([v for v in spec["values"] if v != ""])

            def enum_value(r: _Run, pos: int, then: Any) -> None:
                for v in values:
                    if r.text.startswith(v, pos):
                        _consume(r, pos, pos + len(v), _FIXED, lambda v=v: then(pos + len(v), v))  # type: ignore[misc]
                    elif r.record:
                        _fail_at(r, pos, _js_json(v))

            return enum_value
        if k == "list":
            # A list named plainly is written with its elements joined by ",", and as nothing when it is empty.
            return self.joined(spec["of"], ",", True, follow)
        return lambda r, pos, then: _fail_at(r, pos, "a value that can be read back")

    def joined(self, element: Dict[str, Any], separator: str, empty: bool, follow: Any) -> _Reader:
        # Elements joined by separator (at least one unless empty): read in a loop, the longest list first.
        element_follow = (tuple(dict.fromkeys((separator,) + follow[0])), follow[1], follow[2])
        token = _token_reader(element, self.types)
        if token is not None:
            tok = token

            def tokens(r: _Run, pos: int, then: Any) -> None:
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
                    spans.extend((p, p + len(separator), _FIXED))
                    p += len(separator)
                if r.steps + len(items) > r.budget:
                    raise CommandParseError(r.text, "limit", pos + 1, [r.owner], ["fewer list elements"])
                r.steps += len(items)
                for k in range(len(items), (0 if empty else 1) - 1, -1):
                    end = pos if k == 0 else spans[6 * k - 5]
                    if k < len(items) and not _can_start(r, follow, end):
                        continue
                    _consume_all(r, spans, max(0, 6 * k - 3), lambda end=end, k=k: then(end, items[:k]))  # type: ignore[misc]

            return tokens
        read = self.value(element, "plain", element_follow)

        def elements(r: _Run, pos: int, then: Any) -> None:
            if empty:
                then(pos, [])

            def more(p: int, items: List[Any]) -> None:
                then(p, items)
                if r.text.startswith(separator, p):
                    q0 = p + len(separator)
                    _consume(r, p, q0, _FIXED, lambda: read(r, q0, lambda q, v: more(q, items + [v])))

            read(r, pos, lambda q, v: more(q, [v]))

        return elements


def _token_reader(spec: Dict[str, Any], types: Dict[str, Any]) -> Any:
    # A list element read one way only (an integer, a number, an enum value), or None for other kinds.
    k = spec["k"]
    values: Optional[List[str]] = None
    if k == "enum":
        values = spec["values"]
    elif k == "ref" and "syntax" not in types.get(spec["type"], {}) and "values" in types.get(spec["type"], {}):
        values = types[spec["type"]]["values"]
    elif k == "bool":
        values = ["true", "false"]
    if values is not None:
        ordered = _by_length([v for v in values if v != ""])
        is_bool = k == "bool"

        def token(r: _Run, pos: int) -> Any:
            for v in ordered:
                if r.text.startswith(v, pos):
                    return (pos + len(v), (v == "true") if is_bool else v, _FIXED)
            if r.record:
                _fail_at(r, pos, " or ".join(_js_json(v) for v in ordered))
            return None

        return token
    if k not in ("int", "number"):
        return None
    pattern = _INT if k == "int" else _NUMBER
    what = "an integer" if k == "int" else "a number"
    is_int = k == "int"

    def number(r: _Run, pos: int) -> Any:
        m = pattern.match(r.text, pos, pos + 40)
        if not m:
            _fail_at(r, pos, what)
            return None
        return (m.end(), int(m.group(0)) if is_int else _number(m.group(0)), _VALUE)

    return number


def _type_value(entry: Dict[str, Any]) -> Callable[[Any], Any]:
    # What a type's syntax read becomes: an enum's value, a record, or a union member with its tag.
    if entry["kind"] == "enum":
        return lambda env: _lookup(env, "self")
    if entry["kind"] == "record" or entry.get("members") is None:
        return _env_object
    return lambda bound: _value_of_type(entry, _env_object(bound))


def _value_of_type(entry: Dict[str, Any], bound: Dict[str, Any]) -> Any:
    # The value of a type whose syntax bound `bound` (None when no union member fits it).
    if entry["kind"] == "enum":
        return bound.get("self")
    members = entry.get("members")
    if entry["kind"] == "record" or members is None:
        return bound
    if isinstance(bound.get("type"), str):
        return bound
    # The syntax implies the member: the only one, or the only one whose fields hold what was read.
    fits = members if len(members) == 1 else [m for m in members if all(k in m["fields"] for k in bound)]
    if len(fits) != 1:
        return None
    out = {"type": fits[0]["tag"]}
    out.update(bound)
    return out


def _free_text_reader(follow: Any) -> _Reader:
    # Free text: it ends only where what follows can start, the shortest extent first.
    lits, any_, end_ok = follow

    def free(r: _Run, pos: int, then: Any) -> None:
        text = r.text

        def limit() -> int:
            # Once a reading is known, free text past its first more specific character cannot tie or win.
            return _free_until(r, pos) if r.best is not None and not r.greater else r.n

        if any_:
            e = pos
            while e <= limit():
                _consume(r, pos, e, _FREE, lambda e=e: then(e, text[pos:e]))  # type: ignore[misc]
                e += 1
            return
        nxt = [text.find(lit, pos) for lit in lits]
        e = pos
        while True:
            cand = r.n if end_ok else -1
            for i, lit in enumerate(lits):
                if 0 <= nxt[i] < e:
                    nxt[i] = text.find(lit, e)
                if nxt[i] >= 0 and (cand < 0 or nxt[i] < cand):
                    cand = nxt[i]
            if cand < 0 or cand > limit():
                return
            _consume(r, pos, cand, _FREE, lambda cand=cand: then(cand, text[pos:cand]))  # type: ignore[misc]
            e = cand + 1
            if e > r.n:
                return

    return free


def _json_reader(follow: Any) -> _Reader:
    # A JSON value: handed to json.loads whole when it ends the string, else measured by its brackets first.
    last = bool(follow[2]) and not follow[1] and not follow[0]

    def read_json(r: _Run, pos: int, then: Any) -> None:
        key = -1 - pos if last else pos
        if key in r.json:
            found = r.json[key]
        else:
            found = None
            end = r.n if last else _json_end(r.text, pos)
            # json.loads allows white space around the value; a builder never writes it.
            if end > pos and r.text[pos] not in _JSON_SPACE and r.text[end - 1] not in _JSON_SPACE:
                doc = r.text[pos:end]
                try:
                    found = (end, json.loads(doc))
                except RecursionError:
                    raise CommandParseError(r.text, "limit", pos + 1, [r.owner], ["JSON nested too deep to read"]) from None
                except ValueError:
                    found = None
                if found is not None and not _shallow_json(doc, found[1]):
                    raise CommandParseError(r.text, "limit", pos + 1, [r.owner], ["JSON nested at most %d deep" % _MAX_JSON_DEPTH])
            r.json[key] = found
        if found is None:
            _fail_at(r, pos, "JSON")
            return
        end_, value = found
        _consume(r, pos, end_, _VALUE, lambda: then(end_, value))

    return read_json


#: How deep a JSON parameter may nest: what reads it next (decoders, the mock) need not recurse further.
_MAX_JSON_DEPTH = 512


def _shallow_json(text: str, value: Any) -> bool:
    # Whether the JSON value read from text nests at most _MAX_JSON_DEPTH deep: surely so when the text opens
    # fewer brackets than that (a scan for two characters; each level takes two characters), else measured on
    # the text's brackets, else counted on the value.
    if len(text) <= 2 * _MAX_JSON_DEPTH + 1:
        return True
    n = 0
    for c in "[{":
        i = text.find(c)
        while i >= 0:
            n += 1
            if n > _MAX_JSON_DEPTH:
                depth = _bracket_depth(text)
                return depth <= _MAX_JSON_DEPTH if depth is not None else _within_depth(value, _MAX_JSON_DEPTH)
            i = text.find(c, i + 1)
    return True


_NOT_STRUCTURE = bytes(c for c in range(256) if c not in b'"[]{}')
_SQUARE = bytes.maketrans(b"{}", b"[]")


def _bracket_depth(text: str) -> Optional[int]:
    # How deep the valid JSON text nests, by its brackets outside strings (whole-string operations, no loop per
    # value: a walk of many small values is most of the time of reading them); None when deeper than 16.
    if "\\" in text:
        # Escapes first, left to right as JSON reads them: then every quote that is left delimits a string.
        text = text.replace("\\\\", "").replace('\\"', "")
    marks = text.encode("utf-8", "surrogatepass").translate(_SQUARE, _NOT_STRUCTURE)
    # Strings without brackets are quote pairs; when some hold brackets, every other piece between quotes.
    brackets = marks.replace(b'""', b"")
    if b'"' in brackets:
        brackets = b"".join(marks.split(b'"')[::2])
    # Each pass takes away the innermost pairs: as many passes as levels.
    for depth in range(17):
        if not brackets:
            return depth
        brackets = brackets.replace(b"[]", b"")
    return None


def _within_depth(value: Any, most: int) -> bool:
    # Whether value nests at most `most` deep (counted without recursion).
    if not isinstance(value, (dict, list)):
        return True
    stack: List[Tuple[Any, int]] = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if d > most:
            return False
        for x in cast(Dict[str, Any], v).values() if isinstance(v, dict) else cast(List[Any], v):
            if isinstance(x, (dict, list)):
                stack.append((cast(Any, x), d + 1))
    return True


def _json_end(text: str, pos: int) -> int:
    c = text[pos : pos + 1]
    if c in ("{", "["):
        depth = 0
        i = pos
        while i < len(text):
            d = text[i]
            if d == '"':
                i = _string_end(text, i) - 1
                if i < 0:
                    return -1
            elif d in ("{", "["):
                depth += 1
            elif d in ("}", "]"):
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return -1
    if c == '"':
        return _string_end(text, pos)
    m = _JSON_SCALAR.match(text, pos, pos + 40)
    return m.end() if m else -1


def _string_end(text: str, pos: int) -> int:
    i = pos + 1
    while i < len(text):
        if text[i] == "\\":
            i += 1
        elif text[i] == '"':
            return i + 1
        i += 1
    return -1


def _same(a: Any, b: Any) -> bool:
    # JSON values: bools are not numbers, as in JavaScript.
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        da, db = cast(Dict[str, Any], a), cast(Dict[str, Any], b)
        return da.keys() == db.keys() and all(_equal(da[k], db[k]) for k in da)
    if isinstance(a, list) and isinstance(b, list):
        la, lb = cast(List[Any], a), cast(List[Any], b)
        return len(la) == len(lb) and all(_equal(x, y) for x, y in zip(la, lb))
    return _same(a, b)


def _number(s: str) -> Any:
    # As JavaScript's Number(): integral values are integers.
    f = float(s)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


class _Compiled:
    def __init__(self, table: Dict[str, Any]) -> None:
        compiler = _Compiler(table)
        end = ((), False, True)
        commands = table["commands"]
        self.names: List[str] = [c["name"] for c in commands]
        self.matchers = [compiler.node(c["syntax"], c["params"], end) for c in commands]
        self.direct = [_direct_reader(c.get("direct"), table["types"]) for c in commands]
        self.order = {name: i for i, name in enumerate(self.names)}
        self.leading = [_leading(c["syntax"]) for c in commands]
        # By the first word of the leading text when it has a space after it; the rest are checked one by one.
        self.by_word: Dict[str, List[int]] = {}
        self.other: List[int] = []
        for i, lead in enumerate(self.leading):
            space = lead.find(" ")
            if space < 0:
                self.other.append(i)
            else:
                self.by_word.setdefault(lead[:space], []).append(i)
        self.other_leading = tuple(self.leading[i] for i in self.other)

    def candidates(self, text: str) -> List[int]:
        space = text.find(" ")
        word = self.by_word.get(text if space < 0 else text[:space])
        out = [i for i in word if text.startswith(self.leading[i])] if word else []
        # One test for all the others (most strings start with none of them).
        if self.other and text.startswith(self.other_leading):
            out += [i for i in self.other if text.startswith(self.leading[i])]
            if word:
                out.sort()
        return out


# ---- The direct reading: the same as in src/runtime/commandParser.ts ----
# Most commands have one reading at most for any string; for those the generator wrote a regular expression of
# the syntax (the entry's "direct") and what it binds. parse_command_with takes it when the command is the only
# candidate whose expression matches and every value converts; in every other case the search decides, so the
# two cannot differ in what they answer.

_NO_VALUE = object()
# json.loads without its wrapper: the same scanner, for a text with no white space around its value (json.loads
# would skip it, then scan from there, then require the end), which is all a direct reading hands it.
_SCAN_JSON = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def _json_value(s: str) -> Any:
    if s == "" or s[0] in _JSON_SPACE or s[-1] in _JSON_SPACE:
        return _NO_VALUE
    try:
        v, end = _SCAN_JSON(s, 0)
    except (StopIteration, ValueError, RecursionError):
        return _NO_VALUE
    if end != len(s):
        return _NO_VALUE
    return v if _shallow_json(s, v) else _NO_VALUE


def _converter(conv: Any) -> Optional[Callable[[str], Any]]:
    # How a group becomes a value (None: the text as it is).
    if conv == "s" or conv == "e":
        return None
    if conv == "i":
        # The search reads numbers of at most 40 characters.
        return lambda s: int(s) if len(s) <= 40 else _NO_VALUE
    if conv == "n":
        return lambda s: _number(s) if len(s) <= 40 else _NO_VALUE
    if conv == "j":
        return _json_value
    if conv == "t":
        return lambda s: s == "true"
    if conv == "o":
        return lambda s: s == "on"
    if conv[0] == "m":
        return conv[1].__getitem__  # type: ignore[no-any-return]
    separator = conv[1]
    element = _converter(conv[2])

    def items(s: str) -> Any:
        if s == "":
            return []
        out = s.split(separator)
        if element is not None:
            for i, item in enumerate(out):
                v = element(item)
                if v is _NO_VALUE:
                    return _NO_VALUE
                out[i] = v
        return out

    return items


def _binder(ops: List[Any], types: Dict[str, Any]) -> Callable[[Any, Dict[str, Any]], bool]:
    # What a match binds (ops, in the order the syntax binds), as one function of its groups (group g at g - 1)
    # that fills a dict; it returns False when a value does not convert.
    steps: List[Any] = []
    for op in ops:
        if op[0] == "b":
            steps.append((0, op[1], op[2] - 1, _converter(op[3])))
        elif op[0] == "f":
            steps.append((1, op[1], op[2] - 1, op[3]))
        elif op[0] == "?":
            steps.append((2, None, op[1] - 1, _binder(op[2], types)))
        else:
            steps.append((3, op[1], types[op[2]], _binder(op[3], types)))

    def bind(groups: Any, out: Dict[str, Any]) -> bool:
        for kind, name, a, b in steps:
            if kind == 0:
                if b is None:
                    out[name] = groups[a]
                else:
                    v = b(groups[a])
                    if v is _NO_VALUE:
                        return False
                    out[name] = v
            elif kind == 1:
                out[name] = b if groups[a] is not None else not b
            elif kind == 2:
                if groups[a] is not None and not b(groups, out):
                    return False
            else:
                inner: Dict[str, Any] = {}
                if not b(groups, inner):
                    return False
                v = _value_of_type(a, inner)
                if v is None:
                    return False
                out[name] = v
        return True

    return bind


def _direct_reader(direct: Any, types: Dict[str, Any]) -> Any:
    # (match, bind, rest): with rest, the expression reads up to a JSON value that ends the string.
    if not direct:
        return None
    pattern = re.compile(direct["re"])
    return (pattern.match if direct["rest"] else pattern.fullmatch, _binder(direct["ops"], types), direct["rest"])


def _read_direct(compiled: Any, candidates: List[int], text: str) -> Optional[Dict[str, Any]]:
    # The reading of the only candidate whose expression matches, or None when the search must decide.
    hit = -1
    groups: Any = None
    for i in candidates:
        reader = compiled.direct[i]
        if reader is None:
            return None
        m = reader[0](text)
        if m is None:
            continue
        if groups is not None:
            return None
        hit = i
        groups = m.groups() + (text[m.end() :],) if reader[2] else m.groups()
    if groups is None:
        return None
    params: Dict[str, Any] = {}
    if not compiled.direct[hit][1](groups, params):
        return None
    return {"command": compiled.names[hit], "params": params}


_COMPILED: Dict[int, Any] = {}


def _compiled_of(table: Dict[str, Any]) -> Any:
    cached = _COMPILED.get(id(table))
    if cached is None or cached[0] is not table:
        cached = (table, _Compiled(table))
        _COMPILED[id(table)] = cached
    return cached[1]


def parse_command_with(table: Dict[str, Any], text: str, prefer: str = "error") -> Dict[str, Any]:
    """Reads ``text`` as one of the table's commands: ``{"command": name, "params": {...}}`` (and ``"warning"``
    when ``prefer="first"`` chose between equally specific readings)."""
    compiled = _compiled_of(table)
    candidates = compiled.candidates(text)
    direct = _read_direct(compiled, candidates, text)
    if direct is not None:
        return direct
    return _search_readings(compiled, text, candidates, prefer)


def parse_command_by_search(table: Dict[str, Any], text: str, prefer: str = "error") -> Dict[str, Any]:
    """The same answer as parse_command_with, always found by the search (what the direct reading is checked
    against)."""
    compiled = _compiled_of(table)
    return _search_readings(compiled, text, compiled.candidates(text), prefer)


def _search_readings(compiled: Any, text: str, candidates: List[int], prefer: str) -> Dict[str, Any]:
    r = _Run(text)

    def search(indices: List[int]) -> None:
        for i in indices:
            name = compiled.names[i]
            r.owner = name
            del r.spans[:]
            r.greater = False
            matcher: _Matcher = compiled.matchers[i]
            matcher(r, 0, None, lambda pos, env, name=name: _complete(r, name, pos, env))

    try:
        # Only commands whose leading text the string starts with can match; the others are tried (for the
        # closest commands and the column of a failure) only when none does.
        search(candidates)
        if r.best is None:
            r.record = True
            search(list(range(len(compiled.names))))
    except RecursionError:
        raise CommandParseError(text, "limit", 1, [r.owner], ["nesting too deep to read"]) from None
    best = r.best
    if best is None:
        most = max(r.closest_by.values()) if r.closest_by else -1
        closest = [name for name, p in r.closest_by.items() if p == most][:3]
        raise CommandParseError(text, "no-match", r.furthest + 1, closest, r.expected)
    if not r.ties:
        return best
    readings = [best] + r.ties
    commands = sorted(dict.fromkeys(x["command"] for x in readings), key=lambda c: compiled.order[c])
    if prefer != "first":
        raise CommandParseError(text, "ambiguous", 1, commands)
    chosen = dict(next(x for x in readings if x["command"] == commands[0]))
    chosen["warning"] = "equally specific readings of %s fit %s: took %s, the first the documents list" % (
        ", ".join(commands),
        _quote(text),
        chosen["command"],
    )
    return chosen


def _leading(node: Dict[str, Any]) -> str:
    # A command's leading literal text (what every string of it starts with), "" when it starts otherwise.
    if node["kind"] == "text":
        return node["value"]  # type: ignore[no-any-return]
    if node["kind"] == "seq" and node["items"]:
        return _leading(node["items"][0])
    return ""
