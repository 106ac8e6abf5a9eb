"""Writes the JS ONNX engine's conformance corpus: for every case of the cases_*.py modules here, the model
(<name>.onnx) and <name>.json holding the feeds and what the Python onnxruntime returns for them.

Each cases_*.py module defines `cases()`, yielding (name, onnx.ModelProto, {input: np.ndarray}, js) where js is
True when the JS engine must run the model itself (False: it must refuse it, so serving falls back to ONNX
Runtime). Usage: python make_corpus.py OUT_DIR
"""

from __future__ import annotations

import importlib
import json
import math
import os
import pathlib
import sys
import warnings

import numpy as np
import onnxruntime as ort

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
warnings.filterwarnings("ignore")


def encode(a) -> dict:
    if isinstance(a, list):  # ZipMap output: one {label: p} per row
        return {"type": "maps", "dims": [len(a)], "data": [{str(k): float(v) for k, v in m.items()} for m in a]}
    a = np.asarray(a)
    if a.dtype.kind in "OUS":
        return {"type": "string", "dims": list(a.shape), "data": [str(v) for v in a.ravel()]}
    types = {"f": {2: "float16", 4: "float32", 8: "float64"}, "i": {1: "int8", 2: "int16", 4: "int32", 8: "int64"},
             "u": {1: "uint8", 2: "uint16", 4: "uint32", 8: "uint64"}, "b": {1: "bool"}}
    kind = types[a.dtype.kind][a.dtype.itemsize]
    data = []
    for v in a.ravel().tolist():
        if isinstance(v, float) and not math.isfinite(v):
            v = "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
        data.append(int(v) if isinstance(v, bool) else v)
    return {"type": kind, "dims": list(a.shape), "data": data}


def main(out: pathlib.Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    names = []
    only = os.environ.get("ONNX_JS_CASE", "")  # the Deno test's filter: build only the cases it will run
    for mod in sorted(HERE.glob("cases_*.py")):
        for name, model, feeds, js in importlib.import_module(mod.stem).cases():
            if only not in name:
                continue
            path = out / f"{name}.onnx"
            path.write_bytes(model.SerializeToString())
            sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
            results = sess.run(None, feeds)
            expected = {o.name: encode(r) for o, r in zip(sess.get_outputs(), results)}
            case = {"name": name, "js": js, "feeds": {k: encode(v) for k, v in feeds.items()}, "expected": expected}
            (out / f"{name}.json").write_text(json.dumps(case))
            names.append(name)
    (out / "index.json").write_text(json.dumps(names))
    print(len(names))


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
