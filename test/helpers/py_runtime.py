"""Runs the generated Python runtime for the tests: one process per batch (JSON on stdin, JSON on stdout).

Input: {"python": dir holding the package, "package": name, "parse": [str | {"text": str, "prefer": "first"}], "decode": [{"start": ..., "value": ..., "strict": bool}]}
Output: {"parse": [{"ok": {...}} | {"error": reason, "column": n, "closest": [...]}],
         "decode": [{"ok": same-object?, "warnings": [...]} | {"error": path, "expected": ..., "found": ...}]}
"""
import importlib
import json
import sys

batch = json.load(sys.stdin)
sys.path.insert(0, batch["python"])
parse = importlib.import_module(batch["package"] + ".parse")
decode = importlib.import_module(batch["package"] + ".decode")

out = {"parse": [], "decode": []}
for text in batch.get("parse", []):
    prefer = "error"
    if isinstance(text, dict):
        text, prefer = text["text"], text["prefer"]
    try:
        out["parse"].append({"ok": parse.parse_command(text, prefer)})
    except parse.CommandParseError as e:
        out["parse"].append({"error": e.reason, "column": e.column, "closest": list(e.closest)})
for case in batch.get("decode", []):
    warnings = []
    try:
        start = case["start"]
        if start == "ChatResponse":
            v = decode.decode_chat_response(case["value"], strict=case["strict"], on_warning=warnings.append)
        elif start == "ChatEvent":
            v = decode.decode_chat_event(case["value"], strict=case["strict"], on_warning=warnings.append)
        else:
            v = decode.decode_type(start, case["value"], strict=case["strict"], on_warning=warnings.append)
        out["decode"].append({"ok": v is case["value"], "warnings": warnings})
    except decode.DecodeError as e:
        out["decode"].append({"error": e.path, "expected": e.expected, "found": e.found})
print(json.dumps(out, ensure_ascii=False))
