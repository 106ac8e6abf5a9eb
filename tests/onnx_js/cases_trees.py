"""Tree ensembles (ai.onnx.ml TreeEnsembleRegressor, TreeEnsembleClassifier, TreeEnsemble): scikit-learn models
converted with skl2onnx, and hand-built single-node graphs for each node mode, aggregate function, post
transform, onnxruntime's binary-classifier rules, NaN handling, double and integer inputs, and the
attribute values the JS engine refuses."""

from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper, numpy_helper
from single_op import ML, OPSETS, chain, elem
from skl2onnx import to_onnx
from skl2onnx.common import tree_ensemble
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.ensemble import (
    BaggingClassifier,
    BaggingRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    IsolationForest,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor



def datasets():
    Xd, yd = load_diabetes(return_X_y=True)
    Xi, yi = load_iris(return_X_y=True)
    Xb, yb = load_breast_cancer(return_X_y=True)
    return Xd.astype(np.float32), yd, Xi.astype(np.float32), yi, Xb.astype(np.float32), yb


def sk(model, X, opsets=OPSETS, **options):
    return to_onnx(model, X[:1], target_opset=opsets, options=options or None)


def hist_gradient_boosting(model, X, **options):
    """skl2onnx 1.20 cannot convert HistGradientBoosting* with numpy 2 and onnx 1.23: it passes the nodes'
    uint32 child ids and a Python bool missing-value flag to onnx.helper, which refuses both. Converted here
    with the ids widened to int64 and the flag as an int (same values; the fitted model is not used after)."""
    for trees in model._predictors:
        for p in trees:
            p.nodes = p.nodes.astype([(n, "<i8" if p.nodes.dtype[n].kind == "u" and n != "missing_go_to_left"
                                       else p.nodes.dtype[n].str) for n in p.nodes.dtype.names])
    original = tree_ensemble.add_node

    def add_node(*args, nodes_missing_value_tracks_true=0, **kwargs):
        return original(*args, nodes_missing_value_tracks_true=int(nodes_missing_value_tracks_true), **kwargs)

    tree_ensemble.add_node = add_node
    try:
        return sk(model, X, **options)
    finally:
        tree_ensemble.add_node = original


def sklearn_cases():
    Xd, yd, Xi, yi, Xb, yb = datasets()
    no_zipmap = {"zipmap": False}

    dt = DecisionTreeRegressor(max_depth=6, random_state=0).fit(Xd, yd)
    yield "tree_sk_dt_reg", sk(dt, Xd), {"X": Xd[:100]}, True
    yield "tree_sk_dt_reg_1row", sk(dt, Xd), {"X": Xd[7:8]}, True
    yield "tree_sk_dt_reg_ml1", sk(dt, Xd, {"": 15, "ai.onnx.ml": 1}), {"X": Xd[:50]}, True
    yield "tree_sk_dt_reg_ml5", sk(dt, Xd, {"": 18, "ai.onnx.ml": 5}), {"X": Xd[:50]}, True
    # skl2onnx's double regressors declare a double Y that onnxruntime 1.31 refuses to load: hand-built below.

    # The serving benchmark's model.
    rf = RandomForestRegressor(n_estimators=20, max_depth=8, random_state=0).fit(Xd, yd)
    yield "tree_sk_rf_reg_bench", sk(rf, Xd), {"X": Xd[:100]}, True
    yield "tree_sk_rf_reg_bench_1row", sk(rf, Xd), {"X": Xd[3:4]}, True
    et = ExtraTreesRegressor(n_estimators=15, max_depth=7, random_state=0).fit(Xd, yd)
    yield "tree_sk_et_reg", sk(et, Xd), {"X": Xd[:100]}, True
    # 100 trees: onnxruntime sums them in parallel halves; float32 rounding may differ in the last bits.
    gb = GradientBoostingRegressor(n_estimators=100, max_depth=3, random_state=0).fit(Xd, yd)
    yield "tree_sk_gb_reg", sk(gb, Xd), {"X": Xd[:100]}, True
    yield "tree_sk_gb_reg_1row", sk(gb, Xd), {"X": Xd[:1]}, True

    Y2 = np.stack([yd, np.sqrt(yd) * (Xd[:, 0] > 0)], axis=1)
    multi = RandomForestRegressor(n_estimators=5, max_depth=5, random_state=0).fit(Xd, Y2)
    yield "tree_sk_rf_reg_multi_output", sk(multi, Xd), {"X": Xd[:100]}, True

    Xn = Xd.copy()
    Xn[::5, 2] = np.nan
    Xn[::7, 8] = np.nan
    dtn = DecisionTreeRegressor(max_depth=6, random_state=0).fit(Xn, yd)
    yield "tree_sk_dt_reg_nan", sk(dtn, Xn), {"X": Xn[:100]}, True
    dtcn = DecisionTreeClassifier(max_depth=5, random_state=0).fit(Xn, (yd > 140).astype(np.int64))
    yield "tree_sk_dt_clf_nan", sk(dtcn, Xn, **no_zipmap), {"X": Xn[:100]}, True

    # HistGradientBoosting learns where NaN goes (nodes_missing_value_tracks_true).
    hgb = HistGradientBoostingRegressor(max_iter=30, random_state=0).fit(Xn, yd)
    yield "tree_sk_hgb_reg_nan", hist_gradient_boosting(hgb, Xn), {"X": Xn[:100]}, True
    Xbn = Xb.copy()
    Xbn[::3, 0] = np.nan
    Xbn[::4, 7] = np.nan
    hgbc = HistGradientBoostingClassifier(max_iter=15, random_state=0).fit(Xbn, yb)
    yield "tree_sk_hgb_clf_binary_nan", hist_gradient_boosting(hgbc, Xbn, **no_zipmap), {"X": Xbn[:100]}, True
    Xin = Xi.copy()
    Xin[::4, 2] = np.nan
    hgbm = HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(Xin, yi)
    yield "tree_sk_hgb_clf_multi_nan", hist_gradient_boosting(hgbm, Xin, **no_zipmap), {"X": Xin}, True

    dtc = DecisionTreeClassifier(max_depth=4, random_state=0).fit(Xi, yi)
    yield "tree_sk_dt_clf_iris", sk(dtc, Xi, **no_zipmap), {"X": Xi}, True
    yield "tree_sk_dt_clf_iris_zipmap", sk(dtc, Xi), {"X": Xi[:30]}, True
    rfc = RandomForestClassifier(n_estimators=10, max_depth=5, random_state=0).fit(Xi, yi)
    yield "tree_sk_rf_clf_multi", sk(rfc, Xi, **no_zipmap), {"X": Xi}, True
    yield "tree_sk_rf_clf_multi_1row", sk(rfc, Xi, **no_zipmap), {"X": Xi[60:61]}, True
    rfb = RandomForestClassifier(n_estimators=10, max_depth=6, random_state=0).fit(Xb, yb)
    yield "tree_sk_rf_clf_binary", sk(rfb, Xb, **no_zipmap), {"X": Xb[:100]}, True
    yield "tree_sk_rf_clf_binary_zipmap", sk(rfb, Xb), {"X": Xb[:20]}, True
    gbb = GradientBoostingClassifier(n_estimators=30, max_depth=3, random_state=0).fit(Xb, yb)
    yield "tree_sk_gb_clf_binary", sk(gbb, Xb, **no_zipmap), {"X": Xb[:100]}, True
    yield "tree_sk_gb_clf_binary_1row", sk(gbb, Xb, **no_zipmap), {"X": Xb[:1]}, True
    gbm = GradientBoostingClassifier(n_estimators=20, max_depth=2, random_state=0).fit(Xi, yi)
    yield "tree_sk_gb_clf_multi", sk(gbm, Xi, **no_zipmap), {"X": Xi}, True

    etc = ExtraTreesClassifier(n_estimators=8, max_depth=5, random_state=0).fit(Xi, yi)
    yield "tree_sk_et_clf", sk(etc, Xi, **no_zipmap), {"X": Xi}, True
    gbz = GradientBoostingRegressor(n_estimators=10, init="zero", random_state=0).fit(Xd, yd)
    yield "tree_sk_gb_reg_init_zero", sk(gbz, Xd), {"X": Xd[:100]}, True
    # Tree ops inside larger graphs: bagging averages, IsolationForest's path lengths from leaf values.
    bagr = BaggingRegressor(n_estimators=5, random_state=0).fit(Xd, yd)
    yield "tree_sk_bagging_reg", sk(bagr, Xd), {"X": Xd[:100]}, True
    bagc = BaggingClassifier(n_estimators=5, random_state=0).fit(Xi, yi)
    yield "tree_sk_bagging_clf", sk(bagc, Xi, **no_zipmap), {"X": Xi}, True
    iso = IsolationForest(n_estimators=10, random_state=0).fit(Xd)
    yield "tree_sk_isolation_forest", sk(iso, Xd), {"X": Xd[:100]}, True

    names = np.array(["setosa", "versicolor", "virginica"])[yi]
    dts = DecisionTreeClassifier(max_depth=3, random_state=0).fit(Xi, names)
    yield "tree_sk_dt_clf_strings", sk(dts, Xi, **no_zipmap), {"X": Xi}, True
    rfs = RandomForestClassifier(n_estimators=4, max_depth=3, random_state=0).fit(Xb, np.array(["no", "yes"])[yb])
    yield "tree_sk_rf_clf_strings_binary", sk(rfs, Xb, **no_zipmap), {"X": Xb[:100]}, True
    offset = np.array([-3, 7, 40])[yi]
    dto = DecisionTreeClassifier(max_depth=3, random_state=0).fit(Xi, offset)
    yield "tree_sk_dt_clf_int_labels", sk(dto, Xi, **no_zipmap), {"X": Xi}, True
    Xi64 = Xi.astype(np.float64)
    rfd = RandomForestClassifier(n_estimators=5, max_depth=4, random_state=0).fit(Xi64, yi)
    yield "tree_sk_rf_clf_double", sk(rfd, Xi64, **no_zipmap), {"X": Xi64}, True


# ---- hand-built graphs ---------------------------------------------------------------------------------------


def graph(op, attrs, x, outputs, ml=3, core=17):
    node = helper.make_node(op, ["X"], [o[0] for o in outputs], domain=ML, **attrs)
    inputs = [helper.make_tensor_value_info("X", elem(x.dtype), [None, x.shape[1]])]
    outs = [helper.make_tensor_value_info(name, t, shape) for name, t, shape in outputs]
    g = helper.make_graph([node], op, inputs, outs)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", core), helper.make_opsetid(ML, ml)],
                             ir_version=10 if ml >= 5 else 8)


def regressor(attrs, x, ml=3):
    return graph("TreeEnsembleRegressor", attrs, x, [("Y", TensorProto.FLOAT, [None, None])], ml)


def classifier(attrs, x, strings=False, ml=3):
    label = TensorProto.STRING if strings else TensorProto.INT64
    return graph("TreeEnsembleClassifier", attrs, x,
                 [("label", label, [None]), ("probabilities", TensorProto.FLOAT, [None, None])], ml)


def small_tree(mode, missing=None):
    """One tree on 2 features: node 0 tests x0 against 0.5, node 1 tests x1 against -1; leaves 2, 3, 4."""
    nodes = dict(nodes_treeids=[0, 0, 0, 0, 0], nodes_nodeids=[0, 1, 2, 3, 4], nodes_featureids=[0, 1, 0, 0, 0],
                 nodes_modes=[mode, mode, "LEAF", "LEAF", "LEAF"], nodes_values=[0.5, -1.0, 0, 0, 0],
                 nodes_truenodeids=[1, 3, 0, 0, 0], nodes_falsenodeids=[2, 4, 0, 0, 0])
    if missing is not None:
        nodes["nodes_missing_value_tracks_true"] = missing
    return nodes


def leaf_weights(prefix, leaves, ids, weights, tree=0):
    return {f"{prefix}_treeids": [tree] * len(leaves), f"{prefix}_nodeids": leaves, f"{prefix}_ids": ids,
            f"{prefix}_weights": weights}


# Ties with both thresholds, NaN in each feature, infinities.
X_EDGE = np.array([[0.5, -1], [0.4, -1], [0.6, -1], [0.5, 0], [0.5, -2], [np.nan, -1], [0.1, np.nan],
                   [np.nan, np.nan], [np.inf, -np.inf], [-np.inf, np.inf], [0.25, -1.5], [3, 3]], dtype=np.float32)


def random_forest(rng, trees, depth, features, targets, modes=("BRANCH_LEQ",), weights_per_leaf=1, missing=0.0):
    """Full binary trees with thresholds from a small grid (so test inputs hit them exactly)."""
    a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                         "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
                         "target_treeids", "target_nodeids", "target_ids", "target_weights"]}
    n_nodes = 2 ** (depth + 1) - 1
    for t in range(trees):
        for i in range(n_nodes):
            leaf = i >= 2 ** depth - 1
            a["nodes_treeids"].append(t)
            a["nodes_nodeids"].append(i)
            a["nodes_featureids"].append(0 if leaf else int(rng.integers(features)))
            a["nodes_modes"].append("LEAF" if leaf else str(rng.choice(modes)))
            a["nodes_values"].append(0.0 if leaf else float(rng.integers(-4, 5)) / 2)
            a["nodes_truenodeids"].append(0 if leaf else 2 * i + 1)
            a["nodes_falsenodeids"].append(0 if leaf else 2 * i + 2)
            a["nodes_missing_value_tracks_true"].append(int(not leaf and rng.random() < missing))
            if leaf:
                for _ in range(weights_per_leaf):
                    a["target_treeids"].append(t)
                    a["target_nodeids"].append(i)
                    a["target_ids"].append(int(rng.integers(targets)))
                    a["target_weights"].append(float(np.float32(rng.normal(0, 2))))
    return a


def grid_inputs(rng, rows, features, nan=0.1):
    x = (rng.integers(-5, 6, size=(rows, features)) / 2).astype(np.float32)
    x[rng.random(x.shape) < 0.3] += np.float32(0.1)
    x[rng.random(x.shape) < nan] = np.nan
    return x


def as_classifier(a, classes):
    return {("class" + k[len("target"):] if k.startswith("target") else k): v for k, v in a.items()} | {
        "classlabels_int64s": list(range(10, 10 + classes))}


def mode_cases():
    for mode in ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"]:
        w = leaf_weights("target", [2, 3, 4], [0, 0, 0], [1.5, -0.25, 4.0])
        tag = mode.lower().replace("branch_", "")
        yield f"tree_mode_{tag}", regressor({**small_tree(mode), **w, "n_targets": 1}, X_EDGE), {"X": X_EDGE}, True
        yield (f"tree_mode_{tag}_nan_true",
               regressor({**small_tree(mode, [1, 1, 0, 0, 0]), **w, "n_targets": 1}, X_EDGE), {"X": X_EDGE}, True)
    rng = np.random.default_rng(1)
    modes = ("BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ")
    mixed = random_forest(rng, 6, 4, 3, 1, modes, missing=0.4)
    x = grid_inputs(rng, 100, 3)
    yield "tree_mixed_modes", regressor({**mixed, "n_targets": 1}, x), {"X": x}, True
    yield "tree_mixed_modes_1row", regressor({**mixed, "n_targets": 1}, x), {"X": x[5:6]}, True
    # onnxruntime would read an unknown mode as BRANCH_NEQ; the JS engine refuses it.
    bad = {**small_tree("BRANCH_LEQ"), **leaf_weights("target", [2, 3, 4], [0, 0, 0], [1.0, 2.0, 3.0]), "n_targets": 1}
    bad["nodes_modes"] = ["BRANCH_LEQ", "BRANCH_MEMBER", "LEAF", "LEAF", "LEAF"]
    yield "tree_refuse_unknown_mode", regressor(bad, X_EDGE), {"X": X_EDGE}, False


def aggregate_cases():
    rng = np.random.default_rng(2)
    x = grid_inputs(rng, 100, 4)
    for targets in (1, 3):
        forest = random_forest(rng, 7, 3, 4, targets, ("BRANCH_LEQ", "BRANCH_GT"), missing=0.3)
        for agg in ["SUM", "AVERAGE", "MIN", "MAX"]:
            base = {"base_values": [float(v) for v in np.float32(rng.normal(size=targets))]}
            name = f"tree_agg_{agg.lower()}_{targets}t"
            attrs = {**forest, "n_targets": targets, "aggregate_function": agg}
            yield name, regressor(attrs, x), {"X": x}, True
            yield f"{name}_base", regressor({**attrs, **base}, x), {"X": x}, True
            yield f"{name}_1row", regressor({**attrs, **base}, x), {"X": x[:1]}, True
    # Several weights per leaf (3 targets): sums per target; with one target only the leaf's first weight counts.
    many = random_forest(rng, 5, 3, 4, 3, weights_per_leaf=3)
    yield "tree_leaf_many_weights_3t", regressor({**many, "n_targets": 3}, x), {"X": x}, True
    one = random_forest(rng, 5, 3, 4, 1, weights_per_leaf=2)
    yield "tree_leaf_many_weights_1t", regressor({**one, "n_targets": 1}, x), {"X": x}, True
    # 90 trees of one target, 1 row: onnxruntime's per-tree parallel path.
    big = random_forest(rng, 90, 3, 4, 1)
    yield "tree_agg_sum_90trees_1row", regressor({**big, "n_targets": 1}, x), {"X": x[:1]}, True


def post_transform_cases():
    rng = np.random.default_rng(3)
    x = grid_inputs(rng, 60, 3)
    for targets in (1, 4):
        forest = random_forest(rng, 4, 3, 3, targets)
        if targets == 1:  # small sums keep PROBIT's input in (0, 1) for some rows
            forest["target_weights"] = [w / 20 + 0.1 for w in forest["target_weights"]]
        for post in ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"]:
            yield (f"tree_post_{post.lower()}_{targets}t",
                   regressor({**forest, "n_targets": targets, "post_transform": post}, x), {"X": x}, True)
    zero = random_forest(rng, 2, 2, 3, 4)  # most rows leave targets unwritten: SOFTMAX_ZERO skips them
    yield "tree_post_softmax_zero_sparse", regressor({**zero, "n_targets": 4, "post_transform": "SOFTMAX_ZERO"}, x), \
        {"X": x}, True


def classifier_cases():
    x = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, 0.0], [np.nan, 0.0]], dtype=np.float32)
    tree = dict(nodes_treeids=[0, 0, 0], nodes_nodeids=[0, 1, 2], nodes_featureids=[0, 0, 0],
                nodes_modes=["BRANCH_LEQ", "LEAF", "LEAF"], nodes_values=[0.5, 0, 0], nodes_truenodeids=[1, 0, 0],
                nodes_falsenodeids=[2, 0, 0])

    def binary(name, ids, nodes, weights, base=None, post="NONE", labels=(5, 7), js=True):
        attrs = {**tree, "class_treeids": [0] * len(ids), "class_nodeids": nodes, "class_ids": ids,
                 "class_weights": weights, "classlabels_int64s": list(labels), "post_transform": post}
        if base is not None:
            attrs["base_values"] = base
        return f"tree_clf_binary_{name}", classifier(attrs, x), {"X": x}, js

    both = ([0, 1, 0, 1], [1, 1, 2, 2], [0.7, 0.3, 0.2, 0.8])
    yield binary("both_classes", *both)
    yield binary("both_classes_base2", *both, base=[0.1, 0.2])
    yield binary("both_classes_logistic", *both, post="LOGISTIC")
    yield binary("both_classes_softmax", *both, post="SOFTMAX")
    yield binary("both_classes_probit", *both, post="PROBIT")
    yield binary("class1_only", [1, 1], [1, 2], [0.3, 0.8])
    yield binary("class1_only_base1", [1, 1], [1, 2], [0.3, 0.8], base=[0.3])
    yield binary("class1_only_base2", [1, 1], [1, 2], [0.3, 0.8], base=[0.1, 0.2])
    yield binary("class1_mixed_sign", [1, 1], [1, 2], [-0.3, 0.8])
    yield binary("class1_logistic", [1, 1], [1, 2], [-0.3, 0.8], post="LOGISTIC")
    yield binary("class1_softmax", [1, 1], [1, 2], [-0.3, 0.8], post="SOFTMAX")
    yield binary("class0_only", [0, 0], [1, 2], [0.3, 0.8])
    yield binary("class0_only_negative", [0, 0], [1, 2], [-0.3, 0.8])
    yield binary("class0_only_logistic", [0, 0], [1, 2], [-0.3, 0.8], post="LOGISTIC")
    yield binary("class0_only_base1", [0, 0], [1, 2], [0.3, 0.8], base=[0.25])
    yield binary("class0_only_base2", [0, 0], [1, 2], [0.3, 0.8], base=[0.25, -0.5])
    # Both classes weighed, but leaf 2 has class 0 only: those rows keep one score and are mirrored.
    yield binary("leaf_without_class1", [0, 1, 0], [1, 1, 2], [0.6, 0.4, 0.9])
    yield binary("leaf_without_class1_logistic", [0, 1, 0], [1, 1, 2], [0.6, -0.4, -0.9], post="LOGISTIC")
    yield binary("leaf_without_class1_base2", [0, 1, 0], [1, 1, 2], [0.6, 0.4, 0.9], base=[0.5, 1.5])
    # Weights on the branch node are ignored for the scores but still count for the binary rules.
    yield binary("branch_weight_class0", [1, 1, 0], [1, 2, 0], [0.3, 0.8, 5.0])
    yield binary("branch_weight_negative", [1, 1, 1], [1, 2, 0], [0.3, 0.8, -5.0])
    # onnxruntime writes one of the two score columns in these: refused.
    yield binary("class1_probit", [1, 1], [1, 2], [0.3, 0.8], post="PROBIT")
    yield binary("refuse_probit_one_score", [0, 0], [1, 2], [0.3, 0.8], post="PROBIT", js=False)
    yield binary("refuse_one_base_mixed", [0, 1, 0], [1, 1, 2], [0.6, 0.4, 0.9], base=[0.1], js=False)

    rng = np.random.default_rng(4)
    xm = grid_inputs(rng, 100, 3)
    for post in ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"]:
        forest = as_classifier(random_forest(rng, 5, 3, 3, 4, ("BRANCH_LEQ", "BRANCH_LT"), missing=0.3), 4)
        yield f"tree_clf_multi_{post.lower()}", classifier({**forest, "post_transform": post}, xm), {"X": xm}, True
    sparse = as_classifier(random_forest(rng, 2, 2, 3, 5), 5)
    yield "tree_clf_multi_sparse", classifier(sparse, xm), {"X": xm}, True
    yield "tree_clf_multi_sparse_base", classifier({**sparse, "base_values": [0.5, -1, 0, 2, -3]}, xm), {"X": xm}, True
    strings = {**sparse, "classlabels_strings": ["a", "b", "c", "d", "e"]}
    del strings["classlabels_int64s"]
    yield "tree_clf_multi_strings", classifier(strings, xm, strings=True), {"X": xm}, True
    yield "tree_clf_multi_1row", classifier(sparse, xm), {"X": xm[4:5]}, True
    big = as_classifier(random_forest(rng, 90, 2, 3, 3), 3)
    yield "tree_clf_multi_90trees_1row", classifier(big, xm), {"X": xm[:1]}, True
    for dtype in (np.int64, np.int32):
        xi = rng.integers(-3, 4, size=(50, 3)).astype(dtype)
        yield f"tree_clf_input_{dtype.__name__}", classifier(sparse, xi), {"X": xi}, True
    one = {**tree, "class_treeids": [0, 0], "class_nodeids": [1, 2], "class_ids": [0, 0], "class_weights": [0.5, 2.0],
           "classlabels_int64s": [1]}
    yield "tree_refuse_one_class", classifier(one, x), {"X": x}, False


def tensor_attr_cases():
    """Opset 3's *_as_tensor attributes: double tensors for a double X, float tensors for a float X."""
    rng = np.random.default_rng(5)
    forest = random_forest(rng, 4, 3, 3, 2, ("BRANCH_LEQ", "BRANCH_GTE"), missing=0.3)
    x = grid_inputs(rng, 50, 3)
    for dtype in (np.float32, np.float64):
        attrs = dict(forest)
        values = np.array(attrs.pop("nodes_values"), dtype=dtype) + dtype(1e-3)
        weights = np.array(attrs.pop("target_weights"), dtype=dtype) / 3
        attrs["nodes_values_as_tensor"] = numpy_helper.from_array(values)
        attrs["target_weights_as_tensor"] = numpy_helper.from_array(weights)
        attrs["base_values_as_tensor"] = numpy_helper.from_array(np.array([0.1, -0.2], dtype=dtype))
        xt = (x + dtype(1e-3)).astype(dtype)
        name = "double" if dtype is np.float64 else "float"
        yield f"tree_as_tensor_{name}", regressor({**attrs, "n_targets": 2}, xt), {"X": xt}, True
        yield (f"tree_as_tensor_{name}_logistic",
               regressor({**attrs, "n_targets": 2, "post_transform": "LOGISTIC"}, xt), {"X": xt}, True)
        one = {**attrs, "target_ids": [0] * len(attrs["target_ids"]), "n_targets": 1, "aggregate_function": "AVERAGE"}
        one["base_values_as_tensor"] = numpy_helper.from_array(np.array([0.25], dtype=dtype))
        yield f"tree_as_tensor_{name}_1t_average", regressor(one, xt), {"X": xt}, True
        clf = as_classifier(attrs, 2)
        yield f"tree_as_tensor_{name}_clf", classifier(clf, xt), {"X": xt}, True


def structure_cases():
    x = grid_inputs(np.random.default_rng(6), 30, 2)
    # Weights on a branch node are ignored; a tree id listed in two runs makes two trees.
    t = small_tree("BRANCH_LEQ")
    w = leaf_weights("target", [2, 3, 4, 0], [0, 0, 0, 0], [1.5, -0.25, 4.0, 100.0])
    yield "tree_branch_weight_ignored", regressor({**t, **w, "n_targets": 1}, x), {"X": x}, True
    split = dict(nodes_treeids=[0, 0, 1, 1, 1, 0], nodes_nodeids=[0, 1, 0, 1, 2, 2],
                 nodes_featureids=[0, 0, 1, 0, 0, 0], nodes_modes=["BRANCH_LEQ", "LEAF", "BRANCH_GT", "LEAF", "LEAF",
                                                                  "LEAF"],
                 nodes_values=[0, 0, 0.5, 0, 0, 0], nodes_truenodeids=[1, 0, 1, 0, 0, 0],
                 nodes_falsenodeids=[2, 0, 2, 0, 0, 0], target_treeids=[0, 1, 1, 0], target_nodeids=[1, 1, 2, 2],
                 target_ids=[0, 0, 0, 0], target_weights=[1.0, 2.0, 3.0, 4.0])
    for agg in ("SUM", "AVERAGE"):
        yield f"tree_ids_in_two_runs_{agg.lower()}", regressor({**split, "n_targets": 1, "aggregate_function": agg},
                                                               x), {"X": x}, True
    # Chains of BRANCH_EQ on one feature (a set test), sharing their true leaf: plain equality in onnxruntime.
    chain = dict(nodes_treeids=[0] * 5, nodes_nodeids=[0, 1, 2, 3, 4], nodes_featureids=[0, 0, 0, 0, 0],
                 nodes_modes=["BRANCH_EQ", "BRANCH_EQ", "BRANCH_EQ", "LEAF", "LEAF"], nodes_values=[-1.0, 3.0, 40.0, 0.0, 0.0],
                 nodes_truenodeids=[3, 3, 3, 0, 0], nodes_falsenodeids=[1, 2, 4, 0, 0], target_treeids=[0, 0],
                 target_nodeids=[3, 4], target_ids=[0, 0], target_weights=[1.0, 2.0], n_targets=1)
    xc = np.array([[1], [1.5], [3], [3.7], [40], [40.2], [-1], [-0.5], [np.nan], [0]], dtype=np.float32)
    yield "tree_eq_chain_shared_leaf", regressor(chain, xc), {"X": xc}, True
    # A single-leaf tree next to a normal one.
    stump = dict(nodes_treeids=[0, 1, 1, 1], nodes_nodeids=[0, 0, 1, 2], nodes_featureids=[0, 1, 0, 0],
                 nodes_modes=["LEAF", "BRANCH_LT", "LEAF", "LEAF"], nodes_values=[0, 0.5, 0, 0],
                 nodes_truenodeids=[0, 1, 0, 0], nodes_falsenodeids=[0, 2, 0, 0], target_treeids=[0, 1, 1],
                 target_nodeids=[0, 1, 2], target_ids=[0, 0, 0], target_weights=[0.5, -1.0, 1.0])
    yield "tree_single_leaf_tree", regressor({**stump, "n_targets": 1}, x), {"X": x}, True


def v5(x, targets, nodes, leaves, roots, agg=1, post=0, members=None, missing=None):
    dtype = x.dtype.type
    attrs = dict(tree_roots=roots, n_targets=targets, aggregate_function=agg, post_transform=post,
                 nodes_featureids=nodes["feature"], nodes_truenodeids=nodes["true"], nodes_trueleafs=nodes["trueleaf"],
                 nodes_falsenodeids=nodes["false"], nodes_falseleafs=nodes["falseleaf"],
                 nodes_modes=numpy_helper.from_array(np.array(nodes["mode"], dtype=np.uint8)),
                 nodes_splits=numpy_helper.from_array(np.array(nodes["split"], dtype=dtype)),
                 leaf_targetids=leaves["target"], leaf_weights=numpy_helper.from_array(np.array(leaves["weight"],
                                                                                                 dtype=dtype)))
    if members is not None:
        attrs["membership_values"] = numpy_helper.from_array(np.array(members, dtype=dtype))
    if missing is not None:
        attrs["nodes_missing_value_tracks_true"] = missing
    return graph("TreeEnsemble", attrs, x, [("Y", elem(dtype), [None, None])], ml=5, core=21)


def v5_cases():
    rng = np.random.default_rng(7)
    x = grid_inputs(rng, 80, 3)
    x[:10, 1] = np.array([1, 3, 2, 5, 0, 1, 3, 7, 2, 3], dtype=np.float32)
    # Tree 0: node0 x0 <= 0.5 ? node1 : leaf0; node1 x1 == 3 ? leaf1 : node2; node2 x2 > -1 ? leaf2 : leaf3.
    # Tree 1: node3 x1 < 2 ? leaf6 : node4; node4 x0 != 0.5 ? leaf5 : leaf4.
    nodes = dict(feature=[0, 1, 2, 1, 0], mode=[0, 4, 3, 1, 5], split=[0.5, 3, -1, 2, 0.5],
                 true=[1, 1, 2, 6, 5], trueleaf=[0, 1, 1, 1, 1], false=[0, 2, 3, 4, 4], falseleaf=[1, 0, 1, 0, 1])
    leaves = dict(target=[0, 1, 0, 1, 0, 1, 1], weight=[0.5, -1.25, 2.0, 0.75, -0.5, 1.5, 3.0])
    for agg, name in enumerate(["average", "sum", "min", "max"]):
        yield f"tree_v5_agg_{name}", v5(x, 2, nodes, leaves, [0, 3], agg=agg), {"X": x}, True
    # onnxruntime reads 1 as LOGISTIC and 2 as SOFTMAX (the operator's documentation says the reverse).
    for post in range(5):
        yield f"tree_v5_post_{post}", v5(x, 2, nodes, leaves, [0, 3], post=post), {"X": x}, True
    yield "tree_v5_missing_true", v5(x, 2, nodes, leaves, [0, 3], missing=[1, 1, 0, 1, 1]), {"X": x}, True
    xd = x.astype(np.float64) + 1e-9
    yield "tree_v5_double", v5(xd, 2, nodes, leaves, [0, 3]), {"X": xd}, True
    yield "tree_v5_double_softmax", v5(xd, 2, nodes, leaves, [0, 3], post=2), {"X": xd}, True
    yield "tree_v5_double_average_1t", v5(xd, 1, nodes, dict(target=[0] * 7, weight=leaves["weight"]), [0, 3], agg=0), \
        {"X": xd}, True
    one = dict(target=[0] * 7, weight=leaves["weight"])
    yield "tree_v5_1t_1row", v5(x, 1, nodes, one, [0, 3]), {"X": x[:1]}, True
    # A tree of one leaf: onnxruntime takes the leaf at the root's node index; the JS engine refuses it.
    stump = dict(feature=[0], mode=[0], split=[0], true=[0], trueleaf=[1], false=[0], falseleaf=[1])
    yield "tree_v5_refuse_single_leaf", v5(x, 1, stump, dict(target=[0], weight=[1.0]), [0]), {"X": x}, False
    # A root whose true leaf and false node share an index: onnxruntime reads that root as a leaf too.
    same = dict(nodes, true=[1, 1, 2, 4, 5], false=[0, 2, 3, 4, 6])
    yield "tree_v5_refuse_root_ids_equal", v5(x, 2, same, leaves, [0, 3]), {"X": x}, False
    # BRANCH_MEMBER: onnxruntime 1.31 matches non-members (3.7 against {-1, 3}); the JS engine refuses it.
    member = dict(nodes, mode=[0, 6, 3, 1, 5])
    yield "tree_v5_refuse_member", v5(x, 2, member, leaves, [0, 3], members=[-1, 3, np.nan]), {"X": x}, False


cases = chain(sklearn_cases, mode_cases, aggregate_cases, post_transform_cases, classifier_cases, tensor_attr_cases,
              structure_cases, v5_cases)
