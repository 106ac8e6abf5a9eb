"""An sklearn model converted to ONNX (skl2onnx), logged with mlflow.onnx, registered, and loaded back
through the server with the real client and onnxruntime."""

from __future__ import annotations

import numpy as np
import pytest

import mlflow
from helpers import unique_name

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")
skl2onnx = pytest.importorskip("skl2onnx")


def test_onnx_log_model_load_and_register(client, experiment_id):
    from skl2onnx.common.data_types import FloatTensorType
    from sklearn.linear_model import LinearRegression

    rng = np.random.default_rng(11)
    X = rng.normal(size=(25, 4)).astype(np.float32)
    y = X @ np.array([0.5, -1.0, 2.0, 0.0], dtype=np.float32) + 3.0
    sk = LinearRegression().fit(X, y)
    onx = skl2onnx.convert_sklearn(sk, initial_types=[("input", FloatTensorType([None, 4]))], target_opset=17)

    name = unique_name("onnx")
    with mlflow.start_run() as run:
        info = mlflow.onnx.log_model(onx, name="onnx_model", registered_model_name=name, pip_requirements=["onnx"])
    assert mlflow.get_logged_model(info.model_id).source_run_id == run.info.run_id

    expected = sk.predict(X)
    for uri in (f"runs:/{run.info.run_id}/onnx_model", info.model_uri, f"models:/{name}/1"):
        loaded = mlflow.pyfunc.load_model(uri)
        out = loaded.predict(X)
        values = np.asarray(out[next(iter(out))] if isinstance(out, dict) else out).reshape(-1)
        np.testing.assert_allclose(values, expected, rtol=1e-4, atol=1e-4)

    proto = mlflow.onnx.load_model(f"models:/{name}/1")
    assert [i.name for i in proto.graph.input] == ["input"]
