"""Writes the JS ONNX engine benchmark's models and inputs to OUT_DIR and times the Python onnxruntime on them
(one intra-op thread, as a serving Worker runs). Prints {case: {"model", "feeds", "ort_us"}} as JSON.

Usage: python make_models.py OUT_DIR ROUNDS
"""

from __future__ import annotations

import json
import pathlib
import sys
import time
import warnings

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from skl2onnx import to_onnx
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPRegressor
from sklearn.svm import SVC

warnings.filterwarnings("ignore")
rng = np.random.default_rng(0)


def matmul_model():
    b = numpy_helper.from_array(rng.standard_normal((10, 100)).astype(np.float32), "B")
    graph = helper.make_graph([helper.make_node("MatMul", ["X", "B"], ["Y"])], "matmul",
                              [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 10])],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)], [b])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
    return model, {"X": rng.standard_normal((100, 10)).astype(np.float32)}


def mlp_model(rows: int = 100):
    X, y = load_diabetes(return_X_y=True)
    X = X.astype(np.float32)
    reg = MLPRegressor(hidden_layer_sizes=(100,), max_iter=200, random_state=0).fit(X, y)
    return to_onnx(reg, X[:1], target_opset={"": 17}), {"X": X[:rows]}


def iris_100():
    X, y = load_iris(return_X_y=True)
    X = X.astype(np.float32)
    return X, y, np.concatenate([X] * 2)[::3][:100]


def logreg_model():
    X, y, rows = iris_100()
    est = LogisticRegression(max_iter=500).fit(X, y)
    return to_onnx(est, X[:1], target_opset={"": 17, "ai.onnx.ml": 3}, options={id(est): {"zipmap": False}}), {"X": rows}


def svc_model(probability: bool):
    X, y, rows = iris_100()
    est = SVC(kernel="rbf", probability=probability, random_state=0).fit(X, y)
    options = {id(est): {"zipmap": False}}
    return to_onnx(est, X[:1], target_opset={"": 17, "ai.onnx.ml": 3}, options=options), {"X": rows}


MODELS = {
    "matmul_100x10x100": matmul_model,
    "mlp100_100rows": mlp_model,
    "mlp100_1row": lambda: mlp_model(1),
    "logreg_iris_100rows": logreg_model,
    "svc_rbf_iris_100rows": lambda: svc_model(False),
    "svc_rbf_proba_iris_100rows": lambda: svc_model(True),
}


def main(out: pathlib.Path, rounds: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    result = {}
    for name, make in MODELS.items():
        model, feeds = make()
        path = out / f"{name}.onnx"
        path.write_bytes(model.SerializeToString())
        sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        for _ in range(rounds // 10):
            sess.run(None, feeds)
        times = []
        for _ in range(rounds):
            t = time.perf_counter()
            sess.run(None, feeds)
            times.append(time.perf_counter() - t)
        (out / f"{name}.json").write_text(json.dumps({k: {"dims": list(v.shape), "data": v.ravel().tolist()}
                                                       for k, v in feeds.items()}))
        result[name] = {"model": str(path), "feeds": str(out / f"{name}.json"), "ort_us": np.median(times) * 1e6}
    print(json.dumps(result))


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]), int(sys.argv[2]))
