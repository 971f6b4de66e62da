"""The command parser's search: its constants, error and state, and the steps every reading takes (binding, spans
and their kinds, the best reading so far, what may follow a node). See ``_command_parser``."""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, List, Optional, cast


__all__ = ["ANY", "by_length", "can_start", "CommandParseError", "complete", "consume", "consume_all", "env_object", "fail_at", "FIXED", "fixed_first", "follow_of", "FREE", "FREE_TEXT", "free_until", "INT", "INT_FULL", "js_json", "JSON_SCALAR", "JSON_SPACE", "literal_at", "lookup", "Matcher", "NUMBER", "NUMBER_FULL", "quoted", "Reader", "Run", "seq_first", "VALUE"]


FREE = 0
VALUE = 1
FIXED = 2
_STEPS_PER_CHAR = 64
_MIN_STEPS = 100_000
INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
INT_FULL = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?")
NUMBER_FULL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?\Z")
JSON_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null")
JSON_SPACE = " \t\n\r"


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
            message = "ambiguous command string: equally specific readings of %s fit %s" % (", ".join(closest), quoted(text))
        elif reason == "limit":
            message = "command string beyond the parser's limits at column %d: %s" % (column, "; ".join(self.expected))
        else:
            message = "no command matches %s: at column %d%s%s" % (
                quoted(text),
                column,
                (" expected " + " or ".join(self.expected[:5])) if self.expected else "",
                (" (closest: %s)" % ", ".join(closest)) if closest else "",
            )
        super().__init__(message)


def js_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def quoted(text: str) -> str:
    return js_json(text[:100] + "\u2026" + text[-60:] if len(text) > 200 else text)


class Run:
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
Matcher = Callable[[Run, int, Any, _Then], None]
#: Reads a parameter's value at a position, calling ``then`` with each end and value.
Reader = Callable[[Run, int, _Then], None]


def env_object(env: Any) -> Dict[str, Any]:
    # Bound values (a list, newest first) as a dict in the order the syntax binds them.
    pairs: List[Any] = []
    seen: List[str] = []
    while env is not None:
        name, value, env = env
        if name not in seen:
            seen.append(name)
            pairs.append((name, value))
    return dict(reversed(pairs))


def lookup(env: Any, name: str) -> Any:
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


def _compare_to_best(r: Run, a: int, b: int, kind: int) -> int:
    seg = r.best_segments
    i = _segment_at(seg, a)
    while i < len(seg) and seg[i] < b:
        if seg[i + 2] != kind:
            return 1 if seg[i + 2] < kind else -1
        i += 3
    return 0


def free_until(r: Run, pos: int) -> int:
    seg = r.best_segments
    i = _segment_at(seg, pos)
    while i < len(seg) and seg[i + 2] == FREE:
        i += 3
    return seg[i] if i < len(seg) else r.n


def consume(r: Run, a: int, b: int, kind: int, then: Callable[[], None]) -> None:
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


def consume_all(r: Run, spans: List[int], count: int, then: Callable[[], None]) -> None:
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


def fail_at(r: Run, pos: int, what: str) -> None:
    if not r.record:
        return
    if pos > r.furthest:
        r.furthest = pos
        r.expected = [what]
    elif pos == r.furthest and what not in r.expected:
        r.expected.append(what)
    if pos > r.closest_by.get(r.owner, -1):
        r.closest_by[r.owner] = pos


def literal_at(r: Run, value: str, pos: int) -> bool:
    # Whether value stands at pos; if not, the failure is recorded where the text parts from it.
    if r.text.startswith(value, pos):
        return True
    if not r.record:
        return False
    k = 0
    while k < len(value) and r.text[pos + k : pos + k + 1] == value[k]:
        k += 1
    fail_at(r, pos + k, js_json(value[k:]))
    return False


def can_start(r: Run, follow: Any, pos: int) -> bool:
    lits, any_, end = follow
    if pos == r.n:
        return bool(end)
    if any_:
        return True
    return any(r.text.startswith(lit, pos) for lit in lits)


def complete(r: Run, command: str, pos: int, env: Any) -> None:
    if pos != r.n:
        fail_at(r, pos, "end of the command")
        return
    reading = {"command": command, "params": env_object(env)}
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


def by_length(values: List[str]) -> List[str]:
    # Longest first: "internalMark" before "internal".
    return sorted(values, key=lambda v: -len(v))


def fixed_first(*texts: str) -> Any:
    lits = tuple(t for t in texts if t != "")
    return (lits, False, len(lits) < len(texts))


def follow_of(first: Any, after: Any) -> Any:
    lits, any_, nullable = first
    if not nullable:
        return (lits, any_, False)
    return (tuple(dict.fromkeys(lits + after[0])), any_ or after[1], after[2])


def seq_first(parts: List[Any]) -> Any:
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


ANY = ((), True, False)
FREE_TEXT = ((), True, True)


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
