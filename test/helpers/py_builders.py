"""Runs generated Python builders for the tests: sys.argv[1] is the directory holding the package.

stdin: {"package": name, "cases": [{"fn": "APISendMessages_cmd_string", "params": {...}}]}
stdout: [{"ok": str} | {"error": "ExceptionName: message"}]
"""
import importlib
import json
import sys

sys.path.insert(0, sys.argv[1])
batch = json.load(sys.stdin)
pkg = importlib.import_module(batch["package"])
commands = importlib.import_module(batch["package"] + "._commands")
out = []
for case in batch["cases"]:
    try:
        out.append({"ok": getattr(commands, case["fn"])(case["params"])})
    except Exception as e:  # noqa: BLE001 - every failure is a result the test reads
        out.append({"error": f"{type(e).__name__}: {e}"})
json.dump(out, sys.stdout, ensure_ascii=False)
