"""decode_with against walk_with of the Python runtime (src/runtime/python/_decoder.py), over the same cases.

Input: {"schema": decoding schema, "cases": [{"start": ..., "value": ..., "strict": bool, "maxDepth": int | null}]}
Output: {"outcomes": [{"same": bool, "warnings": [...]} | {"error": message}], "differ": [index, ...]}
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "runtime", "python"))
from _decoder import DEFAULT_MAX_DEPTH, DecodeError, decode_with, walk_with  # noqa: E402

batch = json.load(sys.stdin)
schema = batch["schema"]


def outcome(decode, case):
    warnings = []
    depth = case.get("maxDepth")
    try:
        v = decode(schema, case["start"], case["value"], case["strict"], warnings.append, DEFAULT_MAX_DEPTH if depth is None else depth)
        return {"same": v is case["value"], "warnings": warnings}
    except DecodeError as e:
        return {"error": str(e)}


outcomes = []
differ = []
for i, case in enumerate(batch["cases"]):
    walked = outcome(walk_with, case)
    decoded = outcome(decode_with, case)
    outcomes.append(walked)
    if decoded != walked:
        differ.append(i)
json.dump({"outcomes": outcomes, "differ": differ}, sys.stdout)
