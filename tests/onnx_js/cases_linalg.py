"""Cases for the JS engine's linear-algebra ops (linalg.ts): single-op MatMul, Gemm, Softmax, LogSoftmax,
Hardmax and TopK graphs over their opset variants, and the scikit-learn models built on them (MLPs), plus
what the engine must refuse (Einsum, TopK sorted=0)."""

from __future__ import annotations

import warnings

import numpy as np
from single_op import OPSETS, case_maker, chain, floats, i64, ints, y
from skl2onnx import to_onnx
from sklearn.cross_decomposition import PLSRegression
from sklearn.datasets import load_diabetes, load_iris
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis
from sklearn.ensemble import AdaBoostRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.mixture import GaussianMixture
from sklearn.multiclass import OneVsRestClassifier
from sklearn.naive_bayes import BernoulliNB
from sklearn.neighbors import KNeighborsRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

F32, F64, I64, I32 = np.float32, np.float64, np.int64, np.int32
case = case_maker("la_")


def matmul_cases():
    yield case("matmul_100x10x100", "MatMul", [("a", floats(100, 10)), ("b", floats(10, 100))], y(F32), 13)
    yield case("matmul_batch1", "MatMul", [("a", floats(1, 10)), ("b", floats(10, 3), "init")], y(F32), 13)
    yield case("matmul_1d_2d", "MatMul", [("a", floats(4)), ("b", floats(4, 3))], y(F32), 13)
    yield case("matmul_2d_1d", "MatMul", [("a", floats(5, 4)), ("b", floats(4))], y(F32), 13)
    yield case("matmul_1d_1d", "MatMul", [("a", floats(6)), ("b", floats(6))], y(F32), 13)
    yield case("matmul_3d_1d", "MatMul", [("a", floats(2, 5, 4)), ("b", floats(4))], y(F32), 13)
    yield case("matmul_batched", "MatMul", [("a", floats(2, 3, 4, 5)), ("b", floats(5, 6))], y(F32), 13)
    yield case("matmul_broadcast", "MatMul", [("a", floats(2, 1, 4, 5)), ("b", floats(3, 5, 2))], y(F32), 13)
    yield case("matmul_1d_batched", "MatMul", [("a", floats(5)), ("b", floats(3, 5, 2))], y(F32), 9)
    yield case("matmul_f64", "MatMul", [("a", floats(7, 3, dtype=F64)), ("b", floats(3, 2, dtype=F64))], y(F64), 1)
    yield case("matmul_i64", "MatMul", [("a", ints(4, 3)), ("b", ints(3, 5))], y(I64), 13)
    yield case("matmul_i32", "MatMul", [("a", ints(3, 3, dtype=I32)), ("b", ints(3, 2, dtype=I32))], y(I32), 13)
    # Weights as initializers, as in every model: "_mlas_" cases must match onnxruntime bit for bit
    # (onnx_js_matmul_exact_test.ts). Past K = 256 a sum in double drifts ~3e-5 from it.
    yield case("matmul_mlas_100x10x100", "MatMul", [("a", floats(100, 10)), ("b", floats(10, 100), "init")], y(F32),
               13)
    yield case("matmul_mlas_k600", "MatMul", [("a", floats(5, 600)), ("b", floats(600, 20), "init")], y(F32), 13)
    yield case("matmul_mlas_k300_column", "MatMul", [("a", floats(30, 300)), ("b", floats(300, 1), "init")], y(F32),
               13)
    yield case("matmul_mlas_k100_row", "MatMul", [("a", floats(1, 100)), ("b", floats(100, 100), "init")], y(F32), 13)
    yield case("matmul_mlas_batched", "MatMul", [("a", floats(3, 7, 40)), ("b", floats(40, 9), "init")], y(F32), 13)
    yield case("matmul_empty_k", "MatMul", [("a", floats(3, 0)), ("b", floats(0, 2))], y(F32), 13)


def gemm_cases():
    a, b = floats(100, 6), floats(6, 4)
    yield case("gemm_plain", "Gemm", [("a", a), ("b", b), ("c", floats(100, 4))], y(F32), 13)
    yield case("gemm_no_c", "Gemm", [("a", floats(1, 6)), ("b", b)], y(F32), 11)
    yield case("gemm_trans_a", "Gemm", [("a", floats(6, 5)), ("b", b), ("c", floats(4), "init")], y(F32), 13,
               transA=1)
    yield case("gemm_trans_b", "Gemm", [("a", a), ("b", floats(4, 6)), ("c", floats(1, 4))], y(F32), 13, transB=1)
    yield case("gemm_trans_ab", "Gemm", [("a", floats(6, 3)), ("b", floats(4, 6)), ("c", floats(3, 1))], y(F32), 13,
               transA=1, transB=1, alpha=0.5, beta=-2.0)
    yield case("gemm_scalar_c", "Gemm", [("a", floats(3, 6)), ("b", b), ("c", np.array(1.5, F32))], y(F32), 9,
               alpha=2.0)
    yield case("gemm_beta0", "Gemm", [("a", floats(3, 6)), ("b", b), ("c", floats(3, 4))], y(F32), 7, beta=0.0)
    yield case("gemm_mlas_k600", "Gemm", [("a", floats(4, 600)), ("b", floats(9, 600), "init"), ("c", floats(9), "init")],
               y(F32), 13, transB=1, alpha=0.7, beta=1.3)
    yield case("gemm_mlas_alpha_no_c", "Gemm", [("a", floats(6, 30)), ("b", floats(30, 12), "init")], y(F32), 13,
               alpha=0.3)
    yield case("gemm_mlas_trans_b", "Gemm", [("a", floats(9, 20)), ("b", floats(16, 20), "init"),
                                             ("c", floats(9, 16), "init")], y(F32), 13, transB=1, beta=0.5)
    yield case("gemm_f64", "Gemm", [("a", floats(5, 6, dtype=F64)), ("b", floats(6, 2, dtype=F64)),
                                    ("c", floats(2, dtype=F64))], y(F64), 13, transB=0)


def axis_cases():
    x3, x4 = floats(2, 3, 4) * 3, floats(2, 3, 4, 5) * 3
    for op in ("Softmax", "LogSoftmax", "Hardmax"):
        low = op.lower()
        yield case(f"{low}_2d_13", op, [("x", floats(100, 5) * 4)], y(F32), 13)
        yield case(f"{low}_batch1_13", op, [("x", floats(1, 3))], y(F32), 13)
        yield case(f"{low}_axis1_13", op, [("x", x3)], y(F32), 13, axis=1)
        yield case(f"{low}_axis0_13", op, [("x", x4)], y(F32), 13, axis=0)
        yield case(f"{low}_coerce_11", op, [("x", x3)], y(F32), 11)
        yield case(f"{low}_coerce_axis2_11", op, [("x", x4)], y(F32), 11, axis=2)
        yield case(f"{low}_coerce_neg_11", op, [("x", x4)], y(F32), 11, axis=-3)
        wide = F32 if op == "Hardmax" else F64  # onnxruntime's Hardmax is float32 only
        yield case(f"{low}_default_1", op, [("x", floats(4, 6, dtype=wide))], y(wide), 1)
        yield case(f"{low}_1d_13", op, [("x", floats(7, dtype=wide))], y(wide), 13)
    small = np.array([[0, 0, 0], [1, -2, 3], [1e-30, 0, 0], [-4, 0.5, 2]], F32)
    for p in (1, 2):
        yield case(f"lpnorm_p{p}", "LpNormalization", [("x", small)], y(F32), 1, p=p)
        yield case(f"lpnorm_p{p}_axis0", "LpNormalization", [("x", x3)], y(F32), 1, p=p, axis=0)
        yield case(f"lpnorm_p{p}_f64", "LpNormalization", [("x", small.astype(F64))], y(F64), 1, p=p)
    yield case("lpnorm_batch100", "LpNormalization", [("x", floats(100, 3))], y(F32), 1, axis=1)
    ties = np.array([[1, 3, 3, 0], [2, 2, 2, 2]], F32)
    for exclusive in (0, 1):
        for reverse in (0, 1):
            yield case(f"cumsum_e{exclusive}_r{reverse}", "CumSum", [("x", x3), ("a", np.array(1, I64))], y(F32), 14,
                       exclusive=exclusive, reverse=reverse)
    yield case("cumsum_long_f32", "CumSum", [("x", floats(2, 1000) * 100), ("a", np.array([-1], I32))], y(F32), 11)
    yield case("cumsum_i64_axis0", "CumSum", [("x", ints(5, 3)), ("a", np.array(0, I64), "init")], y(I64), 14,
               reverse=1)
    yield case("cumsum_f64", "CumSum", [("x", floats(100, 4, dtype=F64)), ("a", np.array(0, I32))], y(F64), 11)
    yield case("hardmax_ties", "Hardmax", [("x", ties)], y(F32), 13)
    yield case("softmax_large", "Softmax", [("x", np.array([[1000, 1001, -1000], [-50, 0, 50]], F32))], y(F32), 13)


def topk_cases():
    outs = [("v", F32), ("i", I64)]
    x = floats(100, 10)
    ties = np.array([[3, 1, 3, 2, 1, 3, 0, 2], [0, 0, 0, 0, 1, 1, 1, 1]], F32)
    yield case("topk_largest", "TopK", [("x", x), ("k", i64(3))], outs, 11)
    yield case("topk_smallest", "TopK", [("x", x), ("k", i64(4), "init")], outs, 11, largest=0)
    yield case("topk_axis0", "TopK", [("x", floats(6, 3, 2)), ("k", i64(2))], outs, 11, axis=0)
    yield case("topk_axis1_3d", "TopK", [("x", floats(2, 5, 3)), ("k", i64(5))], outs, 11, axis=-2, largest=0)
    yield case("topk_ties_largest", "TopK", [("x", ties), ("k", i64(5))], outs, 11)
    yield case("topk_ties_smallest", "TopK", [("x", ties), ("k", i64(5))], outs, 11, largest=0)
    many_ties = ints(3, 60, low=0, high=8).astype(F32)
    yield case("topk_k40_sorting", "TopK", [("x", many_ties), ("k", i64(40))], outs, 11)
    yield case("topk_k60_smallest", "TopK", [("x", many_ties), ("k", i64(60))], outs, 11, largest=0)
    yield case("topk_k20_ties", "TopK", [("x", many_ties), ("k", i64(20))], outs, 11, largest=0)
    yield case("topk_k0", "TopK", [("x", floats(2, 4)), ("k", i64(0))], outs, 11)
    yield case("topk_attr_1", "TopK", [("x", floats(1, 9))], outs, 1, k=2)
    yield case("topk_input_10", "TopK", [("x", floats(3, 9, dtype=F64)), ("k", i64(9))], [("v", F64), ("i", I64)], 10)
    yield case("topk_i64", "TopK", [("x", ints(5, 6, low=0, high=4)), ("k", i64(3))], [("v", I64), ("i", I64)], 11)
    yield case("topk_24", "TopK", [("x", many_ties), ("k", i64(2))], outs, 24, axis=0, largest=0)
    yield case("lpnorm_22", "LpNormalization", [("x", floats(5, 4))], y(F32), 22, p=1)
    yield case("topk_unsorted_refused", "TopK", [("x", x), ("k", i64(3))], outs, 11, js=False, sorted=0)
    yield case("einsum_refused", "Einsum", [("a", floats(3, 4)), ("b", floats(4, 5))], y(F32), 12, js=False,
               equation="ij,jk->ik")


def sklearn_cases():
    warnings.filterwarnings("ignore")
    Xd, yd = load_diabetes(return_X_y=True)
    Xi, yi = load_iris(return_X_y=True)
    Xd, Xi = Xd.astype(F32), Xi.astype(F32)
    reg = MLPRegressor(hidden_layer_sizes=(100,), max_iter=200, random_state=0).fit(Xd, yd)
    yield "la_mlp_mlas_regressor_relu", to_onnx(reg, Xd[:1], target_opset=OPSETS), {"X": Xd[:100]}, True
    reg_tanh = MLPRegressor(hidden_layer_sizes=(16, 8), activation="tanh", max_iter=200, random_state=0)
    yield ("la_mlp_regressor_tanh_batch1", to_onnx(reg_tanh.fit(Xd, yd), Xd[:1], target_opset=OPSETS),
           {"X": Xd[:1]}, True)
    clf = MLPClassifier(hidden_layer_sizes=(20,), activation="logistic", max_iter=300, random_state=0).fit(Xi, yi)
    yield "la_mlp_classifier_logistic", to_onnx(clf, Xi[:1], target_opset=OPSETS), {"X": Xi}, True
    clf_relu = MLPClassifier(hidden_layer_sizes=(10,), max_iter=300, random_state=0).fit(Xi, yi)
    yield "la_mlp_classifier_relu", to_onnx(clf_relu, Xi[:1], target_opset=OPSETS), {"X": Xi[::7]}, True
    binary = MLPClassifier(hidden_layer_sizes=(12, 6), activation="tanh", max_iter=300, random_state=0)
    yield ("la_mlp_classifier_tanh_binary", to_onnx(binary.fit(Xi, yi > 0), Xi[:1], target_opset=OPSETS),
           {"X": Xi[::3]}, True)
    # Models whose graphs lean on MatMul, Gemm, Transpose, Concat, Shape and ConstantOfShape. KMeans is left out
    # until ReduceSumSquare sums in onnxruntime's float32 steps: its distances cancel, and a squared norm
    # rounded once from double differs from onnxruntime's in the last bit for a fifth of the iris rows.
    for name, model, X, target in [
        ("pca_whiten", PCA(3, whiten=True), Xi, None),
        ("truncated_svd", TruncatedSVD(2, random_state=0), Xd, None),
        ("pls", PLSRegression(2), Xd, yd),
        ("gaussian_mixture", GaussianMixture(3, random_state=0), Xi, None),
        ("bernoulli_nb", BernoulliNB(), Xi, yi),
        ("qda", QuadraticDiscriminantAnalysis(), Xi, yi),
        ("polynomial_features", PolynomialFeatures(2), Xi, None),
        ("one_vs_rest_logreg", OneVsRestClassifier(LogisticRegression(max_iter=300)), Xi, yi),
        # Its weighted median takes TopK, CumSum and GatherElements over the trees' predictions.
        ("adaboost_regressor", AdaBoostRegressor(n_estimators=7, random_state=0), Xd, yd),
    ]:
        fitted = model.fit(X) if target is None else model.fit(X, target)
        yield f"la_sk_{name}", to_onnx(fitted, X[:1], target_opset=OPSETS), {"X": X[::5]}, True
    # float64 end to end: skl2onnx keeps doubles when fed doubles, so MatMul and Softmax run on float64.
    Xd64, Xi64 = Xd.astype(F64), Xi.astype(F64)
    reg64 = MLPRegressor(hidden_layer_sizes=(30, 2), max_iter=200, random_state=0).fit(Xd64, np.c_[yd, -yd])
    yield "la_mlp_regressor_f64_two_targets", to_onnx(reg64, Xd64[:1], target_opset=OPSETS), {"X": Xd64[:50]}, True
    clf64 = MLPClassifier(hidden_layer_sizes=(8,), max_iter=300, random_state=0).fit(Xi64, yi)
    # ZipMap takes float32 only, so a double classifier is converted without it.
    model64 = to_onnx(clf64, Xi64[:1], target_opset=OPSETS, options={id(clf64): {"zipmap": False}})
    yield "la_mlp_classifier_f64", model64, {"X": Xi64[::4]}, True
    pipe = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(16,), max_iter=300, random_state=0))
    yield "la_pipeline_scaler_mlp", to_onnx(pipe.fit(Xi, yi), Xi[:1], target_opset=OPSETS), {"X": Xi[1::3]}, True
    knn = KNeighborsRegressor(n_neighbors=3).fit(Xd, yd)
    yield "la_knn_regressor", to_onnx(knn, Xd[:1], target_opset=OPSETS), {"X": Xd[:5]}, True


cases = chain(matmul_cases, gemm_cases, axis_cases, topk_cases, sklearn_cases)
