"""Whole scikit-learn models converted with skl2onnx, as users log them with mlflow.onnx.log_model."""

from __future__ import annotations

import numpy as np
from skl2onnx import to_onnx
from sklearn.datasets import load_diabetes, load_iris
from single_op import OPSETS
from sklearn.linear_model import LinearRegression


def data():
    Xd, yd = load_diabetes(return_X_y=True)
    Xi, yi = load_iris(return_X_y=True)
    return Xd.astype(np.float32), yd, Xi.astype(np.float32), yi


def cases():
    Xd, yd, _Xi, _yi = data()
    yield "sk_linreg", to_onnx(LinearRegression().fit(Xd, yd), Xd[:1], target_opset=OPSETS), {"X": Xd[:20]}, True
