"""Command strings read back by the bound syntax trees of a command table (simplex-api-codegen's Python runtime,
copied verbatim into each generated package, with the modules ``_parser_*``; ``_parse.py`` holds the package's
table)."""

from __future__ import annotations

import json
import json.scanner
import re
from typing import Any, Callable, Dict, List, Optional

from ._parser_steps import CommandParseError, complete, JSON_SPACE, Matcher, quoted, Run
from ._parser_values import js_number, shallow_json, value_of_type
from ._parser_compile import Compiler

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


class _Compiled:
    def __init__(self, table: Dict[str, Any]) -> None:
        compiler = Compiler(table)
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
    if s == "" or s[0] in JSON_SPACE or s[-1] in JSON_SPACE:
        return _NO_VALUE
    try:
        v, end = _SCAN_JSON(s, 0)
    except (StopIteration, ValueError, RecursionError):
        return _NO_VALUE
    if end != len(s):
        return _NO_VALUE
    return v if shallow_json(s, v) else _NO_VALUE


def _converter(conv: Any) -> Optional[Callable[[str], Any]]:
    # How a group becomes a value (None: the text as it is).
    if conv == "s" or conv == "e":
        return None
    if conv == "i":
        # The search reads numbers of at most 40 characters.
        return lambda s: int(s) if len(s) <= 40 else _NO_VALUE
    if conv == "n":
        return lambda s: js_number(s) if len(s) <= 40 else _NO_VALUE
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
                v = value_of_type(a, inner)
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
    r = Run(text)

    def search(indices: List[int]) -> None:
        for i in indices:
            name = compiled.names[i]
            r.owner = name
            del r.spans[:]
            r.greater = False
            matcher: Matcher = compiled.matchers[i]
            matcher(r, 0, None, lambda pos, env, name=name: complete(r, name, pos, env))

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
        quoted(text),
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
