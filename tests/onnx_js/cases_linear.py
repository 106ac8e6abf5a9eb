"""LinearRegressor and LinearClassifier (ai.onnx.ml): scikit-learn conversions and hand-built graphs for each
post_transform, label type and onnxruntime's binary special case."""

from __future__ import annotations

import numpy as np
from single_op import ML, OPSETS, chain, floats, single_op
from skl2onnx import to_onnx
from sklearn.datasets import load_diabetes, load_digits, load_iris
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import (
    ElasticNet,
    LinearRegression,
    LogisticRegression,
    Ridge,
    RidgeClassifier,
    SGDClassifier,
    SGDRegressor,
)
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC, LinearSVR

POSTS = ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"]


def sklearn_cases():
    Xd, yd = load_diabetes(return_X_y=True)
    Xd = Xd.astype(np.float32)
    Xi, yi = load_iris(return_X_y=True)
    Xi = Xi.astype(np.float32)
    rows = np.concatenate([Xi] * 2)[:100]
    yield "sk_ridge", to_onnx(Ridge(alpha=0.5).fit(Xd, yd), Xd[:1], target_opset=OPSETS), {"X": Xd[:100]}, True
    Y2 = np.stack([yd, yd * 0.5 - 3], axis=1)
    multi = to_onnx(LinearRegression().fit(Xd, Y2), Xd[:1], target_opset=OPSETS)
    yield "sk_linreg_multi_1", multi, {"X": Xd[:1]}, True
    yield "sk_linreg_multi_100", multi, {"X": Xd[:100]}, True
    yb = (yi > 0).astype(np.int64)
    nozip = {"zipmap": False}
    for name, est, y in [("bin", LogisticRegression(max_iter=500), yb), ("multi", LogisticRegression(max_iter=500), yi)]:
        est.fit(Xi, y)
        yield f"sk_logreg_{name}_zipmap", to_onnx(est, Xi[:1], target_opset=OPSETS), {"X": rows}, True
        plain = to_onnx(est, Xi[:1], target_opset=OPSETS, options={id(est): nozip})
        yield f"sk_logreg_{name}_1", plain, {"X": rows[:1]}, True
        yield f"sk_logreg_{name}_100", plain, {"X": rows}, True
    # String class labels.
    names = np.array(["setosa", "versicolor", "virginica"])[yi]
    est = LogisticRegression(max_iter=500).fit(Xi, names)
    yield "sk_logreg_strings", to_onnx(est, Xi[:1], target_opset=OPSETS, options={id(est): nozip}), {"X": rows}, True
    for name, y in [("bin", yb), ("multi", yi)]:
        svc = LinearSVC().fit(Xi, y)
        yield f"sk_linearsvc_{name}", to_onnx(svc, Xi[:1], target_opset=OPSETS), {"X": rows}, True
    # Ten classes: onnxruntime's softmax runs through MLAS from five classes on.
    Xg, yg = load_digits(return_X_y=True)
    Xg = Xg.astype(np.float32)
    est = LogisticRegression(max_iter=2000).fit(Xg, yg)
    yield "sk_logreg_digits", to_onnx(est, Xg[:1], target_opset=OPSETS, options={id(est): nozip}), \
        {"X": Xg[::18][:100]}, True
    svc = LinearSVC().fit(Xg, yg)
    yield "sk_linearsvc_digits", to_onnx(svc, Xg[:1], target_opset=OPSETS), {"X": Xg[::18][:100]}, True
    ridge = RidgeClassifier().fit(Xi, yi)
    yield "sk_ridge_classifier", to_onnx(ridge, Xi[:1], target_opset=OPSETS), {"X": rows}, True
    lsvr = LinearSVR(random_state=0).fit(Xd, yd)
    yield "sk_linear_svr", to_onnx(lsvr, Xd[:1], target_opset=OPSETS), {"X": Xd[:100]}, True
    # skl2onnx's newest opsets (what users get without target_opset).
    est = LogisticRegression(max_iter=500).fit(Xi, names)
    yield "sk_logreg_strings_default_opset", to_onnx(est, Xi[:1]), {"X": rows}, True
    yield from composed_cases(Xi, yi, rows, Xd, yd)
    sgd = SGDClassifier(loss="hinge", random_state=0).fit(Xi, yi)
    yield "sk_sgd_hinge", to_onnx(sgd, Xi[:1], target_opset=OPSETS), {"X": rows}, True


def composed_cases(Xi, yi, rows, Xd, yd):
    """Meta-estimators whose conversions combine linear ops with core ops, as users log them."""
    for name, est in [
        ("ovr_logreg", OneVsRestClassifier(LogisticRegression(max_iter=500))),
        ("calibrated_linearsvc", CalibratedClassifierCV(LinearSVC())),
        ("voting_soft", VotingClassifier([("lr", LogisticRegression(max_iter=500)), ("svc", LinearSVC())],
                                         voting="hard", flatten_transform=False)),
    ]:
        yield f"sk_{name}", to_onnx(est.fit(Xi, yi), Xi[:1], target_opset=OPSETS), {"X": rows}, True
    for name, est in [("sgd_regressor", SGDRegressor(random_state=0)), ("elastic_net", ElasticNet(alpha=0.01))]:
        yield f"sk_{name}", to_onnx(est.fit(Xd, yd), Xd[:1], target_opset=OPSETS), {"X": Xd[:100]}, True


def regressor_cases():
    x = floats(100, 3)
    coef = [0.5, -1.25, 2.0, 1.5, 0.25, -0.75]
    for post in POSTS:
        model, feeds = single_op("LinearRegressor", [("X", x)], [("Y", np.float32)], 3, ML,
                                 coefficients=coef, intercepts=[0.1, -0.2], targets=2, post_transform=post)
        yield f"linreg_{post.lower()}_2targets", model, feeds, True
    for post in ["LOGISTIC", "PROBIT"]:
        model, feeds = single_op("LinearRegressor", [("X", x)], [("Y", np.float32)], 3, ML,
                                 coefficients=coef[:3], intercepts=[0.3], targets=1, post_transform=post)
        yield f"linreg_{post.lower()}_1target", model, feeds, True
    # Intercepts whose count is not the number of targets are ignored.
    model, feeds = single_op("LinearRegressor", [("X", x[:1])], [("Y", np.float32)], 3, ML,
                             coefficients=coef, intercepts=[5.0], targets=2)
    yield "linreg_intercepts_ignored", model, feeds, True
    model, feeds = single_op("LinearRegressor", [("X", x[0])], [("Y", np.float32)], 3, ML,
                             coefficients=coef[:3], targets=1)
    yield "linreg_1d_no_intercepts", model, feeds, True


def summation_order_cases():
    """Coefficients whose float32 sums depend on the order of the additions: one row goes through MLAS's M=1
    kernel (eight lane sums, reduced per block of 4, 2 or 1 output columns), several rows through its FMA
    kernel (feature after feature). The two orders give different results here (e.g. 1 against 0)."""
    big = 1e8
    block4 = [1, 0, 0, 0, big, 1, -big, 0]
    block21 = [big, 1, -big, 1, 1, 1, 1, 1]
    coef = block4 * 4 + block21 * 3
    for rows in [1, 3]:
        model, feeds = single_op("LinearRegressor", [("X", np.ones((rows, 8), np.float32))], [("Y", np.float32)], 3,
                                 ML, coefficients=coef, intercepts=[0.0] * 7, targets=7)
        yield f"linreg_summation_order_{rows}row", model, feeds, True


def classifier_cases():
    x = floats(100, 3)
    x[5] = [np.nan, 1, 2]
    coef3 = [0.5, -1.25, 2.0, 1.5, 0.25, -0.75, -0.3, 0.8, 0.1]
    for post in POSTS:
        model, feeds = single_op("LinearClassifier", [("X", x)], [("Y", np.int64), ("Z", np.float32)], 1, ML,
                                 coefficients=coef3, intercepts=[0.1, -0.2, 0.05], classlabels_ints=[7, 8, 9],
                                 post_transform=post)
        yield f"linclass_{post.lower()}_3", model, feeds, True
    model, feeds = single_op("LinearClassifier", [("X", x)], [("Y", str), ("Z", np.float32)], 1, ML,
                             coefficients=coef3, intercepts=[0.1, -0.2, 0.05], classlabels_strings=["a", "b", "c"],
                             multi_class=1, post_transform="SOFTMAX")
    yield "linclass_strings_multinomial", model, feeds, True
    # One set of coefficients: the label is from score > 0, the scores [1 - s, s] when there are two labels.
    for post in ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"]:
        model, feeds = single_op("LinearClassifier", [("X", x)], [("Y", np.int64), ("Z", np.float32)], 1, ML,
                                 coefficients=coef3[:3], intercepts=[0.2], classlabels_ints=[3, 5],
                                 post_transform=post)
        yield f"linclass_binary_{post.lower()}", model, feeds, True
    model, feeds = single_op("LinearClassifier", [("X", x[:1])], [("Y", str), ("Z", np.float32)], 1, ML,
                             coefficients=coef3[:3], intercepts=[0.2], classlabels_strings=["no", "yes"])
    yield "linclass_binary_strings_1", model, feeds, True
    # Double and int64 inputs are cast to float first.
    model, feeds = single_op("LinearClassifier", [("X", x.astype(np.float64))], [("Y", np.int64), ("Z", np.float32)],
                             1, ML, coefficients=coef3, intercepts=[0.1, -0.2, 0.05], classlabels_ints=[0, 1, 2])
    yield "linclass_double_input", model, feeds, True
    xi = np.arange(-6, 6, dtype=np.int64).reshape(4, 3)
    model, feeds = single_op("LinearClassifier", [("X", xi)], [("Y", np.int64), ("Z", np.float32)], 1, ML,
                             coefficients=coef3, intercepts=[0.1, -0.2, 0.05], classlabels_ints=[0, 1, 2],
                             post_transform="LOGISTIC")
    yield "linclass_int64_input", model, feeds, True
    model, feeds = single_op("LinearClassifier", [("X", x)], [("Y", np.int64), ("Z", np.float32)], 1, ML,
                             coefficients=coef3[:3], intercepts=[0.2], classlabels_ints=[3, 5],
                             post_transform="PROBIT")
    yield "linclass_binary_probit_refused", model, feeds, False


cases = chain(sklearn_cases, regressor_cases, summation_order_cases, classifier_cases)
