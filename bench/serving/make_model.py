"""Writes the benchmark model: a scikit-learn RandomForestRegressor (diabetes, 10 features) converted with
skl2onnx and saved with mlflow.onnx.save_model (tensor signature), plus rows.json with request rows."""

import json
import sys

import mlflow.onnx
import numpy as np
from mlflow.models import infer_signature
from skl2onnx import to_onnx
from sklearn.datasets import load_diabetes
from sklearn.ensemble import RandomForestRegressor

out = sys.argv[1]
X, y = load_diabetes(return_X_y=True)
X = X.astype(np.float32)
est = RandomForestRegressor(n_estimators=20, max_depth=8, random_state=0).fit(X, y)
mlflow.onnx.save_model(to_onnx(est, X[:1]), f"{out}/model", signature=infer_signature(X[:5], est.predict(X[:5])))
json.dump(X[:100].astype(np.float64).tolist(), open(f"{out}/rows.json", "w"))
