"""The generated Python parser's direct reading against its search, for the tests: JSON on stdin, JSON on stdout.

Input: {"python": dir holding the package, "package": name, "texts": [str]}
Output: [{"with": outcome, "search": outcome, "direct": bool}], an outcome {"ok": {...}} or {"error", "column", "closest"}
"""
import importlib
import json
import sys

batch = json.load(sys.stdin)
sys.path.insert(0, batch["python"])
p = importlib.import_module(batch["package"] + "._parse")
# The interpreter's own module (the runtime, copied verbatim); _parse holds the table.
rt = importlib.import_module(batch["package"] + "._command_parser")


def outcome(f, text):
    try:
        return {"ok": f(p._COMMANDS, text)}
    except p.CommandParseError as e:
        return {"error": e.reason, "column": e.column, "closest": list(e.closest)}


compiled = rt._compiled_of(p._COMMANDS)
out = []
for text in batch["texts"]:
    direct = rt._read_direct(compiled, compiled.candidates(text), text) is not None
    out.append({"with": outcome(p.parse_command_with, text), "search": outcome(p.parse_command_by_search, text), "direct": direct})
print(json.dumps(out, ensure_ascii=False))
