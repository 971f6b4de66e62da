"""Values checked against a decoding schema (simplex-api-codegen's Python runtime, copied verbatim into each
generated package; ``_decode.py`` holds the package's schema)."""

from __future__ import annotations

import json
import math
import re
import sys
import threading
from typing import Any, Callable, Dict, List, NoReturn, Optional, Tuple, TypedDict, cast

__all__ = ["DEFAULT_MAX_DEPTH", "DecodeError", "DecodeWarning", "decode_with", "walk_with"]


# ---- The checker: the same as simplex-api-codegen's src/runtime/decoder.ts ----
# Values are checked in place and returned as they are. Unknown fields are kept; an unknown union tag or enum
# value is kept as it came and reported as a warning; strict=True rejects all three instead.


class DecodeError(ValueError):
    """A value that breaks the documented contract: where (``path``, as ``$.chatItems[0].meta.itemTs``), what was expected, what was found."""

    def __init__(self, path: str, expected: str, found: str) -> None:
        self.path = path
        self.expected = expected
        self.found = found
        super().__init__("%s: expected %s, found %s" % (path, expected, found))


class DecodeWarning(TypedDict):
    """An unknown union tag or enum value that was kept."""

    path: str
    message: str


_PRIMITIVE_NAMES = {"string": "a string", "int": "an integer", "number": "a number", "bool": "a boolean", "time": "a UTCTime string", "object": "a JSON object"}
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")
_INT_KEY = re.compile(r"-?[0-9]+\Z")


def _js_str(v: Any) -> str:
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def _describe(v: Any) -> str:
    try:
        return _describe_value(v)
    except Exception:  # whatever a caller passes is described, never an error of its own
        return type(v).__name__


def _describe_value(v: Any) -> str:
    if v is _MISSING:
        return "nothing"
    if v is None:
        return "null"
    if isinstance(v, list):
        return "an array of %d" % len(cast(List[Any], v))
    if isinstance(v, dict):
        return "an object"
    kind = "boolean" if isinstance(v, bool) else "number" if isinstance(v, (int, float)) else "string" if isinstance(v, str) else type(v).__name__
    text = _js_str(v) if kind != type(v).__name__ else repr(v)
    return "%s %s" % (kind, text if len(text) <= 40 else text[:37] + "...")


class _Missing:
    pass


#: How deep a value may nest (its path's length) unless decode_with's max_depth says otherwise.
DEFAULT_MAX_DEPTH = 512


_MISSING = _Missing()


class _PlainChecks:
    """The schema's rules written out as Python functions, one per type: most values are valid, and checking them
    this way costs a fraction of walking the tables with a path (walk_with, which stays the one source of errors
    and warnings). A function answers False for anything not plainly valid: an error, an unknown tag or enum value
    that needs its warning, a value too deep; walk_with then says what and where. Names from the schema enter the
    source only as ``repr`` string literals. Each function is compiled when first called (a stub stands in until
    then): compiling all of them at once took about 100 ms, and a bot meets a few dozen types."""

    def __init__(self, schema: Dict[str, Any], strict: bool, default_depth: bool) -> None:
        self.types: Dict[str, Any] = schema["types"]
        self.strict = strict
        #: The depth limit of the running call, for checks made for other limits than the default (decode_with
        #: sets it; nothing runs in between).
        self.limit: List[int] = [DEFAULT_MAX_DEPTH]
        self.ns: Dict[str, Any] = {"M": _MISSING, "isfinite": math.isfinite, "int_key": _INT_KEY.match, "L": self.limit}
        # The default limit is written into the source as a number; any other is read from the cell.
        self.max_depth = str(DEFAULT_MAX_DEPTH) if default_depth else "L[0]"
        self.names: Dict[str, str] = {}
        #: Sources not compiled yet, by function name.
        self.sources: Dict[str, str] = {}
        #: The unions' tables that hold a function, by its name: (table, tag), set again once it is compiled.
        self.held_by: Dict[str, List[Tuple[Dict[str, Any], str]]] = {}
        self.enums: Dict[str, str] = {}
        self.schema = schema
        self.by_start: Dict[str, str] = {}
        self.lock = threading.Lock()

    def start(self, start: Any) -> Callable[[Any, int], bool]:
        """The function of a decode_with start (its source written when first asked for)."""
        key = start if isinstance(start, str) else json.dumps(start)
        name = self.by_start.get(key)
        if name is None:
            t = ["union", self.schema["responses"]] if start == "ChatResponse" else ["union", self.schema["events"]] if start == "ChatEvent" else start
            name = self.by_start[key] = self.name_for(t)
        return cast(Callable[[Any, int], bool], self.ns[name])

    def stub(self, name: str) -> Callable[[Any, int], bool]:
        def compile_and_call(v: Any, d: int) -> bool:
            return self.compiled(name)(v, d)

        return compile_and_call

    def compiled(self, name: str) -> Callable[[Any, int], bool]:
        """Compiles one function in place of its stub (the callers name it; the unions' tables hold it)."""
        # Under a lock: a thread that meets the stub while another compiles it waits for the function.
        with self.lock:
            source = self.sources.pop(name, None)
            if source is not None:
                exec(compile(source, "<simplex_api decode checks>", "exec"), self.ns)
                for table, tag in self.held_by.pop(name, []):
                    table[tag] = self.ns[name]
        return cast(Callable[[Any, int], bool], self.ns[name])

    def constant(self, value: Any) -> str:
        name = "k%d" % len(self.ns)
        self.ns[name] = value
        return name

    def lim(self, template: str) -> str:
        """A template of the source with the depth limit written in (before any name from the schema is)."""
        return template.replace("{L}", self.max_depth)

    def enum_values(self, name: str, entry: Dict[str, Any]) -> str:
        known = self.enums.get(name)
        if known is None:
            known = self.enums[name] = self.constant(frozenset(entry["values"]))
        return known

    def name_for(self, t: Any) -> str:
        if isinstance(t, list) and cast(List[Any], t)[0] == "ref":
            # A record or union is checked by its own function, not through one more call.
            entry = self.types.get(cast(List[Any], t)[1])
            if entry is not None and entry["kind"] == "record":
                return self.name_for(["fields", entry["fields"]])
            if entry is not None and entry["kind"] == "union":
                return self.name_for(["union", entry["members"]])
        key = json.dumps(t, sort_keys=True)
        known = self.names.get(key)
        if known is not None:
            return known
        name = "f%d" % len(self.names)
        self.names[key] = name
        self.ns[name] = self.stub(name)
        self.sources[name] = self.source_of(name, t)
        return name

    def test_of(self, t: Any, x: str) -> str:
        """An expression true when ``x`` (at depth d + 1) does not pass ``t``."""
        simple = self.simple_test(t, x)
        if simple is not None:
            return simple
        entry = self.types.get(cast(List[Any], t)[1]) if isinstance(t, list) and cast(List[Any], t)[0] == "ref" else None
        fields = cast(List[Any], entry["fields"]) if entry is not None and entry["kind"] == "record" else []
        tests = [self.simple_test(ft, "y") for _, ft, _ in fields]
        if 0 < len(fields) <= 6 and all(tests):
            # A small record of simple fields is checked in place, not by a call: its fields are at d + 2.
            parts = ["type(%s) is dict" % x, self.lim("d + 1 < {L}")]
            for (field, _, optional), test in zip(fields, tests):
                got = "(y := %s.get(%r, M))" % (x, field)
                parts.append("(%s is M or y is None or not %s)" % (got, test) if optional else "(%s is not M and not %s)" % (got, test))
            if self.strict:
                parts.append("%s.keys() <= %s" % (x, self.constant(frozenset(f[0] for f in fields))))
            return "not (%s)" % " and ".join(parts)
        return "not %s(%s, d + 1)" % (self.name_for(t), x)

    def simple_test(self, t: Any, x: str) -> Optional[str]:
        """test_of for a primitive, a literal or an enum, which need no call; None for anything else."""
        if t in ("string", "time"):
            return "type(%s) is not str" % x
        if t == "int":
            return "type(%s) is not int" % x
        if t == "bool":
            return "type(%s) is not bool" % x
        if t == "number":
            return "not (type(%s) is int or (type(%s) is float and isfinite(%s)))" % (x, x, x)
        if isinstance(t, list):
            kind, of = cast(List[Any], t)[0], cast(List[Any], t)[1]
            if kind == "opt" and of in ("string", "time"):
                return "(%s is not None and type(%s) is not str)" % (x, x)
            if kind == "lit":
                return "(type(%s) is not str or %s != %r)" % (x, x, of)
            entry = self.types.get(of) if kind == "ref" else None
            if entry is not None and entry["kind"] == "enum":
                return "(type(%s) is not str or %s not in %s)" % (x, x, self.enum_values(of, entry))
        return None

    def source_of(self, name: str, t: Any) -> str:
        head = "def %s(v, d):\n" % name
        if isinstance(t, str):
            tests = {
                "string": "type(v) is str",
                "time": "type(v) is str",
                "int": "type(v) is int",
                "number": "(type(v) is int or (type(v) is float and isfinite(v)))",
                "bool": "type(v) is bool",
                "object": "type(v) is dict",
                "any": "True",
            }
            return head + self.lim("    return %s and d <= {L}\n") % tests.get(t, "False")
        kind = t[0]
        if kind == "opt":
            return head + self.lim("    return d <= {L} if v is None else %s(v, d)\n") % self.name_for(t[1])
        if kind == "lit":
            return head + self.lim("    return type(v) is str and v == %r and d <= {L}\n") % (t[1],)
        if kind == "list":
            return head + self.lim("    if type(v) is not list or d > {L} or (v and d >= {L}):\n        return False\n    for x in v:\n        if %s:\n            return False\n    return True\n") % self.test_of(t[1], "x")
        if kind == "map":
            key_test = "type(key) is not str" + (" or not int_key(key)" if t[1] == "int" else "")
            return head + self.lim("    if type(v) is not dict or d > {L} or (v and d >= {L}):\n        return False\n    for key, x in v.items():\n        if %s or %s:\n            return False\n    return True\n") % (key_test, self.test_of(t[2], "x"))
        if kind == "union":
            members = cast(Dict[str, Any], t[1])
            # The members' functions by tag: their stubs until each is compiled (see compiled).
            table: Dict[str, Any] = {}
            for tag, fields in members.items():
                # A member's function is called once the union has read its tag: it does not read it again.
                member = self.name_for(["member", fields, tag])
                table[tag] = self.ns[member]
                if member in self.sources:
                    self.held_by.setdefault(member, []).append((table, tag))
            by_tag = self.constant(table)
            return head + "    if type(v) is not dict:\n        return False\n    tag = v.get(\"type\")\n    member = %s.get(tag) if type(tag) is str else None\n    return member is not None and member(v, d)\n" % by_tag
        if kind == "fields" or kind == "member":
            reads: List[str] = []
            for field, ft, optional in cast(List[Any], t[1]):
                if kind == "member" and field == "type" and not optional and ft == ["lit", t[2]]:
                    continue
                reads.append("    x = get(%r, M)\n" % (field,))
                test = self.test_of(ft, "x")
                if optional:
                    reads.append("    if x is not M and x is not None and %s:\n        return False\n" % test)
                else:
                    reads.append("    if x is M or %s:\n        return False\n" % test)
            lines = [head, self.lim("    if type(v) is not dict or d >= {L}:\n        return False\n")]
            if reads:
                lines += ["    get = v.get\n", *reads]
            if self.strict:
                lines.append("    if not (v.keys() <= %s):\n        return False\n" % self.constant(frozenset(f[0] for f in cast(List[Any], t[1]))))
            lines.append("    return True\n")
            return "".join(lines)
        if kind == "ref":
            entry = self.types.get(t[1])
            if entry is None:  # declared opaquely: anything goes
                return head + self.lim("    return d <= {L}\n")
            return head + self.lim("    return type(v) is str and v in %s and d <= {L}\n") % self.enum_values(t[1], entry)
        return head + "    return False\n"


_CHECKS: Dict[int, Tuple[Dict[str, Any], Dict[Tuple[bool, bool], _PlainChecks]]] = {}


def _plainly_passes(schema: Dict[str, Any], start: Any, value: Any, strict: bool, max_depth: int) -> bool:
    held = _CHECKS.get(id(schema))
    if held is None or held[0] is not schema:
        held = (schema, cast(Dict[Tuple[bool, bool], _PlainChecks], {}))
        _CHECKS[id(schema)] = held
    default_depth = max_depth == DEFAULT_MAX_DEPTH
    checks = held[1].get((strict, default_depth))
    if checks is None:
        checks = held[1][(strict, default_depth)] = _PlainChecks(schema, strict, default_depth)
    checks.limit[0] = max_depth
    check = checks.start(start)
    try:
        return check(value, 0)
    except RecursionError:
        return False


def decode_with(
    schema: Dict[str, Any],
    start: Any,
    value: Any,
    strict: bool = False,
    on_warning: Optional[Callable[[DecodeWarning], None]] = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Any:
    """Checks ``value`` against the schema, starting with ``start``; returns it unchanged or raises DecodeError
    (also for values nested deeper than ``max_depth``)."""
    if _plainly_passes(schema, start, value, strict, max_depth):
        return value
    return walk_with(schema, start, value, strict, on_warning, max_depth)


def walk_with(
    schema: Dict[str, Any],
    start: Any,
    value: Any,
    strict: bool = False,
    on_warning: Optional[Callable[[DecodeWarning], None]] = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Any:
    """decode_with's answer by walking the tables with the path at hand, value by value: the same result,
    slower. decode_with comes here for every value it cannot plainly pass; the tests hold the two to the same
    answers."""
    path: List[Any] = []
    types = schema["types"]

    def where() -> str:
        out = "$"
        for p in path:
            if isinstance(p, int) and not isinstance(p, bool):
                out += "[%d]" % p
            elif isinstance(p, str) and _IDENT.match(p):
                out += "." + p
            else:
                # A key that is not a string (a dict built in Python, not read from JSON) is shown as it is.
                out += "[%s]" % (_js_str(p) if isinstance(p, str) else repr(p))
        return out

    def fail(expected: str, found: Any) -> NoReturn:
        raise DecodeError(where(), expected, _describe(found))

    def unknown_value(kind: str, owner: str, v: str) -> None:
        if strict:
            fail("one of the %ss of %s" % (kind, owner), v)
        if on_warning is not None:
            on_warning({"path": where(), "message": "unknown %s of %s: %s (kept)" % (kind, owner, _js_str(v))})

    def fields(value: Any, members: List[Any], what: str) -> None:
        if not isinstance(value, dict):
            fail(what, value)
        v = cast(Dict[str, Any], value)
        for name, t, optional in members:
            x = v.get(name, _MISSING)
            if x is _MISSING or (x is None and optional):
                if not optional:
                    path.append(name)
                    lit: Any = cast(List[Any], t)[1] if isinstance(t, list) and t[0] == "lit" else None
                    fail('the required field "%s"' % name if lit is None else '"%s"' % lit, x)
                continue
            path.append(name)
            check(t, x)
            path.pop()
        if strict:
            known = {m[0] for m in members}
            for key in v:
                if key not in known:
                    path.append(key)
                    fail('no field "%s" (%s has no such field)' % (key, what), v[key])

    def tagged(value: Any, members: Dict[str, Any], what: str) -> None:
        if not isinstance(value, dict):
            fail(what, value)
        v = cast(Dict[str, Any], value)
        tag = v.get("type", _MISSING)
        if not isinstance(tag, str):
            path.append("type")
            fail("the tag of %s (a string)" % what, tag)
        member = members.get(tag)
        if member is not None:
            fields(v, member, '%s "%s"' % (what, tag))
            return
        path.append("type")
        unknown_value("tag", what, tag)
        path.pop()

    def check(t: Any, v: Any) -> None:
        if len(path) > max_depth:
            fail("a value nested at most %d deep" % max_depth, v)
        if isinstance(t, str):
            if t in ("string", "time"):
                if not isinstance(v, str):
                    fail(_PRIMITIVE_NAMES[t], v)
            elif t == "int":
                if isinstance(v, bool) or not (isinstance(v, int) or (isinstance(v, float) and v.is_integer())):
                    fail("an integer", v)
            elif t == "number":
                if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v in (float("inf"), float("-inf")):
                    fail("a number", v)
            elif t == "bool":
                if not isinstance(v, bool):
                    fail("a boolean", v)
            elif t == "object":
                if not isinstance(v, dict):
                    fail("a JSON object", v)
            return
        kind = t[0]
        if kind == "opt":
            if v is not None:
                check(t[1], v)
        elif kind == "lit":
            if v != t[1] or not isinstance(v, str):
                fail('"%s"' % t[1], v)
        elif kind == "list":
            if not isinstance(v, list):
                fail("an array", v)
            items = cast(List[Any], v)
            for i, x in enumerate(items):
                path.append(i)
                check(t[1], x)
                path.pop()
        elif kind == "map":
            if not isinstance(v, dict):
                fail("an object (a map)", v)
            int_keys = t[1] == "int"
            entries = cast(Dict[Any, Any], v)
            for key, x in entries.items():
                path.append(key)
                if not isinstance(key, str):
                    fail("an object (a map) with string keys", key)
                if int_keys and not _INT_KEY.match(key):
                    fail("an integer key", key)
                check(t[2], x)
                path.pop()
        elif kind == "ref":
            entry = types.get(t[1])
            if entry is None:
                return
            if entry["kind"] == "record":
                fields(v, entry["fields"], t[1])
            elif entry["kind"] == "union":
                tagged(v, entry["members"], t[1])
            else:
                if not isinstance(v, str):
                    fail("a %s value (a string)" % t[1], v)
                if v not in entry["values"]:
                    unknown_value("value", t[1], v)

    # Each level of nesting takes a few frames: room for max_depth levels, restored after.
    limit = sys.getrecursionlimit()
    if limit < 4 * max_depth + 500:
        sys.setrecursionlimit(4 * max_depth + 500)
    try:
        if start == "ChatResponse":
            tagged(value, schema["responses"], "ChatResponse")
        elif start == "ChatEvent":
            tagged(value, schema["events"], "ChatEvent")
        else:
            check(start, value)
    except RecursionError:
        raise DecodeError(where(), "a value nested less deep (the stack ended at depth %d)" % len(path), "deeper nesting") from None
    finally:
        sys.setrecursionlimit(limit)
    return value
