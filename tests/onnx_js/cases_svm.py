"""SVMRegressor and SVMClassifier (ai.onnx.ml): scikit-learn SVR/SVC conversions (each kernel, with and without
probabilities, binary and multi-class) and hand-built graphs for the attribute modes."""

from __future__ import annotations

import numpy as np
from single_op import ML, OPSETS, chain, floats, single_op
from skl2onnx import to_onnx
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.decomposition import PCA
from sklearn.ensemble import VotingClassifier
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import SVC, SVR, NuSVC, NuSVR, OneClassSVM



def iris():
    X, y = load_iris(return_X_y=True)
    X = X.astype(np.float32)
    return X, y, np.concatenate([X] * 2)[::3][:100]


def regressor_cases():
    Xd, yd = load_diabetes(return_X_y=True)
    Xd = Xd.astype(np.float32)
    for kernel in ["rbf", "linear", "poly", "sigmoid"]:
        est = SVR(kernel=kernel, C=50.0).fit(Xd[:200], yd[:200])
        model = to_onnx(est, Xd[:1], target_opset=OPSETS)
        yield f"sk_svr_{kernel}_1", model, {"X": Xd[200:201]}, True
        yield f"sk_svr_{kernel}_100", model, {"X": Xd[200:300]}, True
    est = NuSVR(kernel="poly", degree=4, coef0=1.0).fit(Xd[:200], yd[:200])
    yield "sk_nusvr_poly4", to_onnx(est, Xd[:1], target_opset=OPSETS), {"X": Xd[200:300]}, True
    X, _y, rows = iris()
    est = OneClassSVM(gamma=0.5, nu=0.2).fit(X)
    yield "sk_oneclass_svm", to_onnx(est, X[:1], target_opset=OPSETS), {"X": rows}, True
    # Hand-built: one_class, a linear model without support vectors, post_transform (read but not applied).
    x = floats(50, 3)
    sv = floats(4, 3).ravel().tolist()
    for name, attrs in [
        ("svmreg_rbf_oneclass", dict(kernel_type="RBF", kernel_params=[0.3, 0.0, 0.0], one_class=1)),
        ("svmreg_poly_logistic", dict(kernel_type="POLY", kernel_params=[0.5, 1.0, 3.0], post_transform="LOGISTIC")),
    ]:
        model, feeds = single_op("SVMRegressor", [("X", x)], [("Y", np.float32)], 3, ML, n_supports=4,
                                 support_vectors=sv, coefficients=[0.5, -1.0, 0.25, 2.0], rho=[0.1], **attrs)
        yield name, model, feeds, True
    # Sums whose float32 result depends on MLAS's order (one row: lane sums; several: feature by feature).
    for rows in [1, 3]:
        model, feeds = single_op("SVMRegressor", [("X", np.ones((rows, 8), np.float32))], [("Y", np.float32)], 3,
                                 ML, n_supports=0, coefficients=[1e8, 1, -1e8, 1, 1, 1, 1, 1], rho=[0.0],
                                 kernel_params=[0.0, 0.0, 0.0])
        yield f"svmreg_linear_summation_order_{rows}row", model, feeds, True
    model, feeds = single_op("SVMRegressor", [("X", x[:1])], [("Y", np.float32)], 3, ML, n_supports=0,
                             coefficients=[0.5, -1.0, 0.25], rho=[0.7], kernel_type="RBF", kernel_params=[0.3, 0, 0])
    yield "svmreg_linear_no_vectors", model, feeds, True


def classifier_cases():
    X, y, rows = iris()
    yb = (y == 1).astype(np.int64)
    for kernel in ["rbf", "linear", "poly", "sigmoid"]:
        for name, target in [("bin", yb), ("multi", y)]:
            if kernel == "sigmoid" and name == "multi":
                continue
            est = SVC(kernel=kernel, gamma=0.5 if kernel == "sigmoid" else "scale", coef0=0.1).fit(X, target)
            nozip = to_onnx(est, X[:1], target_opset=OPSETS, options={id(est): {"zipmap": False}})
            yield f"sk_svc_{kernel}_{name}_1", nozip, {"X": rows[:1]}, True
            yield f"sk_svc_{kernel}_{name}_100", nozip, {"X": rows}, True
    for name, target in [("bin", yb), ("multi", y)]:
        est = SVC(probability=True, random_state=0).fit(X, target)
        yield f"sk_svc_proba_{name}_zipmap", to_onnx(est, X[:1], target_opset=OPSETS), {"X": rows}, True
        nozip = to_onnx(est, X[:1], target_opset=OPSETS, options={id(est): {"zipmap": False}})
        yield f"sk_svc_proba_{name}_1", nozip, {"X": rows[:1]}, True
        yield f"sk_svc_proba_{name}_100", nozip, {"X": rows}, True
    est = NuSVC(nu=0.3).fit(X, y)
    yield "sk_nusvc_multi_zipmap", to_onnx(est, X[:1], target_opset=OPSETS), {"X": rows}, True
    for name, est in [("ovr_svc", OneVsRestClassifier(SVC())),
                      ("pca_svc_proba", make_pipeline(PCA(2), SVC(probability=True, random_state=0))),
                      ("voting_soft_svc", VotingClassifier([("rbf", SVC(probability=True, random_state=0)),
                                                            ("lin", SVC(kernel="linear", probability=True,
                                                                        random_state=0))],
                                                           voting="soft", flatten_transform=False))]:
        yield f"sk_{name}", to_onnx(est.fit(X, y), X[:1], target_opset=OPSETS), {"X": rows}, True
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    est = SVC(probability=True, random_state=0).fit(X, names)
    nozip = to_onnx(est, X[:1], target_opset=OPSETS, options={id(est): {"zipmap": False}})
    yield "sk_svc_proba_strings", nozip, {"X": rows}, True
    yield from larger_classifiers()
    yield from hand_classifiers()


def larger_classifiers():
    """Ten classes over 64 features, and 30 scaled features: long float32 sums and wide probability coupling."""
    Xd, yd = load_digits(return_X_y=True)
    Xd = Xd.astype(np.float32)
    for name, est in [("proba", SVC(probability=True, random_state=0)), ("votes", SVC())]:
        est.fit(Xd, yd)
        model = to_onnx(est, Xd[:1], target_opset=OPSETS, options={id(est): {"zipmap": False}})
        yield f"sk_svc_digits_{name}", model, {"X": Xd[::18][:100]}, True
    Xb, yb = load_breast_cancer(return_X_y=True)
    Xb = Xb.astype(np.float32)
    for kernel, extra in [("poly", dict(probability=True, random_state=0)), ("sigmoid", dict(gamma=0.01))]:
        pipe = make_pipeline(StandardScaler(), SVC(kernel=kernel, **extra)).fit(Xb, yb)
        options = {id(pipe.steps[-1][1]): {"zipmap": False}}
        yield f"sk_svc_cancer_{kernel}", to_onnx(pipe, Xb[:1], target_opset=OPSETS, options=options), \
            {"X": Xb[::5][:100]}, True


def hand_classifiers():
    x = floats(60, 2)
    x[3] = [np.nan, 0.5]
    # Three classes with 2, 1 and 2 support vectors.
    base = dict(vectors_per_class=[2, 1, 2], support_vectors=floats(5, 2).ravel().tolist(),
                coefficients=[0.5, -0.3, 0.8, 0.2, -0.6, -0.4, 0.7, -0.9, 0.1, 0.3], rho=[0.1, -0.2, 0.05],
                kernel_type="RBF", kernel_params=[0.7, 0.0, 0.0], classlabels_ints=[10, 20, 30])
    outs = [("Y", np.int64), ("Z", np.float32)]
    for post in ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"]:
        model, feeds = single_op("SVMClassifier", [("X", x)], outs, 3, ML, post_transform=post, **base)
        yield f"svmclass_rbf3_{post.lower()}", model, feeds, True
    model, feeds = single_op("SVMClassifier", [("X", x)], outs, 3, ML, prob_a=[-1.5, -0.7, -2.0],
                             prob_b=[0.1, -0.2, 0.3], post_transform="SOFTMAX", **base)
    yield "svmclass_rbf3_proba_softmax", model, feeds, True
    # Binary: [-s, s] without a transform, [1 - s, s] with one.
    two = dict(vectors_per_class=[2, 1], support_vectors=floats(3, 2).ravel().tolist(),
               coefficients=[0.5, -0.3, 0.8], rho=[0.1], kernel_type="POLY", kernel_params=[0.5, 1.0, 2.0],
               classlabels_strings=["no", "yes"])
    for post in ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"]:
        model, feeds = single_op("SVMClassifier", [("X", x)], [("Y", str), ("Z", np.float32)], 3, ML,
                                 post_transform=post, **two)
        yield f"svmclass_poly2_{post.lower()}", model, feeds, True
    model, feeds = single_op("SVMClassifier", [("X", x)], [("Y", str), ("Z", np.float32)], 3, ML,
                             post_transform="PROBIT", **two)
    yield "svmclass_poly2_probit_refused", model, feeds, False
    # No support vectors: a linear model per class plus rho[0]; onnxruntime's 0.5 / 0 rule for two classes.
    for name, coef in [("mixed", [0.5, -1.0, -0.25, 0.75]), ("positive", [0.5, 1.0, 0.25, 0.75])]:
        model, feeds = single_op("SVMClassifier", [("X", x)], outs, 3, ML, coefficients=coef, rho=[0.2],
                                 classlabels_ints=[0, 1], kernel_params=[0.0, 0.0, 0.0])
        yield f"svmclass_linear2_{name}", model, feeds, True
    model, feeds = single_op("SVMClassifier", [("X", x)], outs, 3, ML, coefficients=[0.5, -1.0, -0.25, 0.75],
                             rho=[0.2], classlabels_ints=[0, 1], kernel_params=[0.0, 0.0, 0.0], prob_a=[-1.0],
                             prob_b=[0.5], post_transform="LOGISTIC")
    yield "svmclass_linear2_proba_logistic", model, feeds, True
    # One class: a single score column, transformed by PROBIT only.
    model, feeds = single_op("SVMClassifier", [("X", np.abs(x) / 8)], outs, 3, ML, coefficients=[0.5, 0.25],
                             rho=[0.1], classlabels_ints=[4], kernel_params=[0.0, 0.0, 0.0], post_transform="PROBIT")
    yield "svmclass_linear1_probit", model, feeds, True
    model, feeds = single_op("SVMClassifier", [("X", x.astype(np.float64))], outs, 3, ML,
                             coefficients=[0.5, -1.0, -0.25, 0.75, 0.1, 0.2], rho=[0.2], classlabels_ints=[0, 1, 2],
                             kernel_params=[0.0, 0.0, 0.0], post_transform="SOFTMAX")
    yield "svmclass_linear3_double", model, feeds, True


cases = chain(regressor_cases, classifier_cases)
