"""Evaluates Python expressions for the tests: one process for a whole batch (JSON on stdin, JSON on stdout).

Input: {"prelude": str, "types": {name: {"syntax": bool, "kind": str, "fields": {f: type}, "enum": [..]}},
        "wrap": bool, "realJson": bool, "cases": [{"expr": str, "env": {name: value}, "envTypes": {name: type}}]}
Each case's result is {"ok": str} or {"error": "ExceptionName: message"}.
"""
import json as _stdjson
import sys
import types as _types

# The documented snippets call json.dumps; the chat core reads any JSON, and the tests compare with
# JavaScript's JSON.stringify, so json here writes compactly and keeps non-ASCII text.
_compact = _types.SimpleNamespace(dumps=lambda v: _stdjson.dumps(v, separators=(",", ":"), ensure_ascii=False))

batch = _stdjson.load(sys.stdin)
# "realJson": the snippets run with Python's own json.dumps, as upstream's Python SDK runs them.
json = _stdjson if batch.get("realJson") else _compact
TYPES = batch["types"]
env_globals = {"json": json, "__builtins__": __builtins__}


def type_name(t):
    while t and t.get("kind") == "optional":
        t = t["inner"]
    return t.get("name") if t and t.get("kind") == "ref" else None


class Str(str):
    """An enum value whose str() is its type's own syntax (seed-era snippets call str(x))."""

    def __new__(cls, value, rendered):
        s = super().__new__(cls, value)
        s._rendered = rendered
        return s

    def __str__(self):
        return self._rendered()


class Rec(dict):
    """A record whose str() is its type's own syntax."""

    def __str__(self):
        return self._rendered()


def wrap(value, t):
    """Gives values of types with a syntax the str() their type's syntax defines, recursively."""
    if value is None or t is None:
        return value
    kind = t.get("kind")
    if kind == "optional":
        return wrap(value, t["inner"])
    if kind == "list":
        return [wrap(v, t["element"]) for v in value]
    name = type_name(t)
    info = TYPES.get(name) if name else None
    if not info:
        return value
    if info["kind"] in ("union", "record"):
        # Keys keep their order: json.dumps must write what JSON.stringify writes.
        field_types = info["members"].get(value.get("type"), {}) if info["kind"] == "union" else info["fields"]
        fields = {k: wrap(v, field_types.get(k)) for k, v in value.items()}
    else:
        fields = value
    if not info["syntax"]:
        return Rec(fields) if isinstance(fields, dict) else fields
    fn = env_globals[name + "_cmd_string"]
    if isinstance(fields, str):
        return Str(fields, lambda: fn(fields))
    r = Rec(fields)
    r._rendered = lambda: fn(r)
    return r


exec(batch["prelude"], env_globals)
results = []
for case in batch["cases"]:
    env = dict(case["env"])
    if batch["wrap"]:
        env = {k: wrap(v, case["envTypes"].get(k)) for k, v in env.items()}
    try:
        results.append({"ok": eval(case["expr"], env_globals, env)})
    except Exception as e:  # noqa: BLE001 - every failure is a result the test reads
        results.append({"error": f"{type(e).__name__}: {e}"})
_stdjson.dump(results, sys.stdout, ensure_ascii=False)
