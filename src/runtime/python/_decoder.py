"""Values checked against a decoding schema (simplex-api-codegen's Python runtime, copied verbatim into each
generated package; ``_decode.py`` holds the package's schema)."""

from __future__ import annotations

import json
import re
import sys
from typing import Any, Callable, Dict, List, NoReturn, Optional, TypedDict, cast

__all__ = ["DEFAULT_MAX_DEPTH", "DecodeError", "DecodeWarning", "decode_with"]


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
