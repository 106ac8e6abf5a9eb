"""Whole scikit-learn models converted with skl2onnx, as users log them with mlflow.onnx.log_model, and
graph-level features the JS engine must refuse (so serving hands the model to ONNX Runtime)."""

from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper
from skl2onnx import to_onnx
from sklearn.datasets import load_diabetes, load_iris
from single_op import OPSETS
from sklearn.linear_model import LinearRegression


def data():
    Xd, yd = load_diabetes(return_X_y=True)
    Xi, yi = load_iris(return_X_y=True)
    return Xd.astype(np.float32), yd, Xi.astype(np.float32), yi


def float16_input_model():
    """Cast of a float16 input: the engine has no float16 tensors, so it refuses the input at load."""
    graph = helper.make_graph(
        [helper.make_node("Cast", ["X"], ["Y"], to=TensorProto.FLOAT)], "f16",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT16, [None, 3])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [None, 3])],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def cases():
    Xd, yd, _Xi, _yi = data()
    yield "sk_linreg", to_onnx(LinearRegression().fit(Xd, yd), Xd[:1], target_opset=OPSETS), {"X": Xd[:20]}, True
    yield "graph_float16_input_refused", float16_input_model(), {"X": np.ones((2, 3), np.float16)}, False
