"""Values read from a command string for the command parser: tokens, numbers, free text and JSON (with its depth
limited)."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Optional, Tuple, cast

from ._parser_steps import by_length, CommandParseError, consume, env_object, fail_at, FIXED, FREE, free_until, INT, js_json, JSON_SCALAR, JSON_SPACE, lookup, NUMBER, Reader, Run, VALUE

__all__ = ["free_text_reader", "js_number", "json_reader", "shallow_json", "token_reader", "type_value", "value_of_type"]


def token_reader(spec: Dict[str, Any], types: Dict[str, Any]) -> Any:
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
        ordered = by_length([v for v in values if v != ""])
        is_bool = k == "bool"

        def token(r: Run, pos: int) -> Any:
            for v in ordered:
                if r.text.startswith(v, pos):
                    return (pos + len(v), (v == "true") if is_bool else v, FIXED)
            if r.record:
                fail_at(r, pos, " or ".join(js_json(v) for v in ordered))
            return None

        return token
    if k not in ("int", "number"):
        return None
    pattern = INT if k == "int" else NUMBER
    what = "an integer" if k == "int" else "a number"
    is_int = k == "int"

    def number(r: Run, pos: int) -> Any:
        m = pattern.match(r.text, pos, pos + 40)
        if not m:
            fail_at(r, pos, what)
            return None
        return (m.end(), int(m.group(0)) if is_int else js_number(m.group(0)), VALUE)

    return number


def type_value(entry: Dict[str, Any]) -> Callable[[Any], Any]:
    # What a type's syntax read becomes: an enum's value, a record, or a union member with its tag.
    if entry["kind"] == "enum":
        return lambda env: lookup(env, "self")
    if entry["kind"] == "record" or entry.get("members") is None:
        return env_object
    return lambda bound: value_of_type(entry, env_object(bound))


def value_of_type(entry: Dict[str, Any], bound: Dict[str, Any]) -> Any:
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


def free_text_reader(follow: Any) -> Reader:
    # Free text: it ends only where what follows can start, the shortest extent first.
    lits, any_, end_ok = follow

    def free(r: Run, pos: int, then: Any) -> None:
        text = r.text

        def limit() -> int:
            # Once a reading is known, free text past its first more specific character cannot tie or win.
            return free_until(r, pos) if r.best is not None and not r.greater else r.n

        if any_:
            e = pos
            while e <= limit():
                consume(r, pos, e, FREE, lambda e=e: then(e, text[pos:e]))  # type: ignore[misc]
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
            consume(r, pos, cand, FREE, lambda cand=cand: then(cand, text[pos:cand]))  # type: ignore[misc]
            e = cand + 1
            if e > r.n:
                return

    return free


def json_reader(follow: Any) -> Reader:
    # A JSON value: handed to json.loads whole when it ends the string, else measured by its brackets first.
    last = bool(follow[2]) and not follow[1] and not follow[0]

    def read_json(r: Run, pos: int, then: Any) -> None:
        key = -1 - pos if last else pos
        if key in r.json:
            found = r.json[key]
        else:
            found = None
            end = r.n if last else _json_end(r.text, pos)
            # json.loads allows white space around the value; a builder never writes it.
            if end > pos and r.text[pos] not in JSON_SPACE and r.text[end - 1] not in JSON_SPACE:
                doc = r.text[pos:end]
                try:
                    found = (end, json.loads(doc))
                except RecursionError:
                    raise CommandParseError(r.text, "limit", pos + 1, [r.owner], ["JSON nested too deep to read"]) from None
                except ValueError:
                    found = None
                if found is not None and not shallow_json(doc, found[1]):
                    raise CommandParseError(r.text, "limit", pos + 1, [r.owner], ["JSON nested at most %d deep" % _MAX_JSON_DEPTH])
            r.json[key] = found
        if found is None:
            fail_at(r, pos, "JSON")
            return
        end_, value = found
        consume(r, pos, end_, VALUE, lambda: then(end_, value))

    return read_json


#: How deep a JSON parameter may nest: what reads it next (decoders, the mock) need not recurse further.
_MAX_JSON_DEPTH = 512


def shallow_json(text: str, value: Any) -> bool:
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
    m = JSON_SCALAR.match(text, pos, pos + 40)
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


def js_number(s: str) -> Any:
    # As JavaScript's Number(): integral values are integers.
    f = float(s)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f
