"""ai.onnx.ml preprocessing ops: scikit-learn scaler/normalizer/imputer/encoder pipelines and hand-built graphs
for Normalizer, Scaler, Binarizer, Imputer, ArrayFeatureExtractor, OneHotEncoder, LabelEncoder and
FeatureVectorizer."""

from __future__ import annotations

import numpy as np
import pandas as pd
from onnx import helper, numpy_helper
from single_op import ML, OPSETS, chain, elem, floats, i64, ints, single_op, strings
from skl2onnx import to_onnx
from sklearn.datasets import load_iris
from sklearn.compose import ColumnTransformer
from sklearn.feature_selection import SelectKBest
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    Binarizer,
    KBinsDiscretizer,
    LabelEncoder,
    MaxAbsScaler,
    MinMaxScaler,
    Normalizer,
    OneHotEncoder,
    OrdinalEncoder,
    RobustScaler,
    StandardScaler,
)

F32 = [("Y", np.float32)]


def sklearn_cases():
    X, y = load_iris(return_X_y=True)
    X = X.astype(np.float32)
    rows = np.concatenate([X] * 2)[::3][:100]
    for norm in ["l1", "l2", "max"]:
        pipe = make_pipeline(StandardScaler(), MinMaxScaler(), Normalizer(norm=norm), LinearRegression()).fit(X, y)
        model = to_onnx(pipe, X[:1], target_opset=OPSETS)
        yield f"sk_scale_norm_{norm}_1", model, {"X": rows[:1]}, True
        yield f"sk_scale_norm_{norm}_100", model, {"X": rows}, True
    Xn = X.copy()
    Xn[::4, 1] = np.nan
    Xn[::7, 3] = np.nan
    for strategy in ["mean", "median", "most_frequent", "constant"]:
        imp = SimpleImputer(strategy=strategy, fill_value=-1.0).fit(Xn)
        yield f"sk_imputer_{strategy}", to_onnx(imp, Xn[:1], target_opset=OPSETS), {"X": Xn[:100]}, True
    for name, est in [("maxabs", MaxAbsScaler()), ("robust", RobustScaler()), ("binarizer", Binarizer(threshold=2.0)),
                      ("kbins", KBinsDiscretizer(n_bins=3, encode="ordinal", strategy="uniform"))]:
        yield f"sk_{name}", to_onnx(est.fit(X), X[:1], target_opset=OPSETS), {"X": rows}, True
    yield "sk_select_k_best", to_onnx(SelectKBest(k=2).fit(X, y), X[:1], target_opset=OPSETS), {"X": rows}, True
    Xs = np.array([["a", "x"], ["b", "y"], ["c", "x"], ["a", "z"]] * 25, dtype=object)
    for name, opsets in [("", OPSETS), ("_default_opset", None)]:
        ordinal = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(Xs[:3])
        yield f"sk_ordinal{name}", to_onnx(ordinal, Xs[:1], target_opset=opsets), {"X": Xs}, True
    labels = np.array(["cat", "dog", "bird", "dog"], dtype=object)
    yield "sk_label_encoder", to_onnx(LabelEncoder().fit(labels), labels[:1], target_opset=OPSETS), \
        {"X": labels}, True
    yield from column_transformer_case()
    Xi = np.random.default_rng(3).integers(0, 4, size=(100, 3)).astype(np.int64)
    ohe = OneHotEncoder(handle_unknown="ignore").fit(Xi[:50])
    yield "sk_onehot_ints", to_onnx(ohe, Xi[:1], target_opset=OPSETS), {"X": Xi}, True
    Xs = np.array([["a", "x"], ["b", "y"], ["c", "x"], ["a", "z"]] * 25, dtype=object)
    ohe = OneHotEncoder(handle_unknown="ignore").fit(Xs[:3])
    yield "sk_onehot_strings", to_onnx(ohe, Xs[:1], target_opset=OPSETS), {"X": Xs}, True


def column_transformer_case():
    """A mixed-type pipeline as users log it: imputed, scaled numbers and one-hot strings into a logistic model."""
    rng = np.random.default_rng(5)
    num = rng.standard_normal((100, 2)).astype(np.float32)
    num[::6, 0] = np.nan
    cat = rng.choice(["red", "green", "blue"], size=(100, 1)).astype(object)
    y = (np.nan_to_num(num[:, 1]) + (cat[:, 0] == "red") > 0.3).astype(np.int64)
    frame = pd.DataFrame({"a": num[:, 0], "b": num[:, 1], "c": cat[:, 0]})
    pre = ColumnTransformer([("num", make_pipeline(SimpleImputer(), StandardScaler()), ["a", "b"]),
                             ("cat", OneHotEncoder(handle_unknown="ignore"), ["c"])])
    pipe = make_pipeline(pre, LogisticRegression()).fit(frame, y)
    model = to_onnx(pipe, frame[:1], target_opset=OPSETS, options={id(pipe.steps[-1][1]): {"zipmap": False}})
    feeds = {"a": num[:, :1], "b": num[:, 1:], "c": cat}
    yield "sk_column_transformer_logreg", model, feeds, True


def normalizer_scaler_cases():
    x = floats(100, 4)
    x[1] = 0
    x[2, 1] = np.nan
    for norm in ["MAX", "L1", "L2"]:
        for dtype in [np.float32, np.float64]:
            model, feeds = single_op("Normalizer", [("X", x.astype(dtype))], F32, 1, ML, norm=norm)
            yield f"normalizer_{norm.lower()}_{np.dtype(dtype).name}", model, feeds, True
        model, feeds = single_op("Normalizer", [("X", ints(5, 3))], F32, 1, ML, norm=norm)
        yield f"normalizer_{norm.lower()}_int64", model, feeds, True
    model, feeds = single_op("Normalizer", [("X", -np.abs(floats(3, 4)))], F32, 1, ML)
    yield "normalizer_max_all_negative", model, feeds, True
    model, feeds = single_op("Normalizer", [("X", floats(4))], F32, 1, ML, norm="L1")
    yield "normalizer_l1_1d", model, feeds, True
    for dtype in [np.float32, np.float64, np.int64, np.int32]:
        xs = x.astype(dtype) if dtype in (np.float32, np.float64) else ints(10, 4, dtype=dtype)
        model, feeds = single_op("Scaler", [("X", xs)], F32, 1, ML, offset=[0.5, -1.0, 2.0, 0.1],
                                 scale=[2.0, 0.3, -1.5, 10.0])
        yield f"scaler_per_feature_{np.dtype(dtype).name}", model, feeds, True
    model, feeds = single_op("Scaler", [("X", x[:1])], F32, 1, ML, offset=[0.25], scale=[3.0])
    yield "scaler_scalar_1", model, feeds, True
    model, feeds = single_op("Binarizer", [("X", floats(100, 3))], F32, 1, ML, threshold=0.2)
    yield "binarizer_threshold", model, feeds, True
    xb = np.array([[0.5, 1.0, 1.5], [2.0, -1.0, 1.0000001]], dtype=np.float32)
    model, feeds = single_op("Binarizer", [("X", xb)], F32, 1, ML)
    yield "binarizer_default_threshold", model, feeds, True


def imputer_cases():
    x = floats(100, 3)
    x[::3, 0] = np.nan
    x[::5, 2] = np.nan
    model, feeds = single_op("Imputer", [("X", x)], F32, 1, ML, imputed_value_floats=[1.5, -2.0, 7.0],
                             replaced_value_float=float("nan"))
    yield "imputer_nan_per_feature", model, feeds, True
    model, feeds = single_op("Imputer", [("X", x[:1])], F32, 1, ML, imputed_value_floats=[9.0],
                             replaced_value_float=float("nan"))
    yield "imputer_nan_scalar_1", model, feeds, True
    xz = np.array([[0.0, 1.0], [2.0, 0.0], [np.nan, 0.0]], dtype=np.float32)
    model, feeds = single_op("Imputer", [("X", xz)], F32, 1, ML, imputed_value_floats=[5.0, 6.0],
                             replaced_value_float=0.0)
    yield "imputer_zero", model, feeds, True
    xi = ints(20, 2, low=-2, high=3)
    model, feeds = single_op("Imputer", [("X", xi)], [("Y", np.int64)], 1, ML, imputed_value_int64s=[100, 200],
                             replaced_value_int64=-1)
    yield "imputer_int64", model, feeds, True


def extractor_encoder_cases():
    x = floats(100, 5)
    for name, value in [("float", x), ("double", x.astype(np.float64)), ("int64", ints(100, 5)),
                        ("int32", ints(100, 5, dtype=np.int32)), ("string", strings(100, 5))]:
        model, feeds = single_op("ArrayFeatureExtractor", [("X", value), ("I", i64(4, 0, 2), "init")],
                                 [("Y", value.dtype)], 1, ML)
        yield f"afe_{name}", model, feeds, True
    model, feeds = single_op("ArrayFeatureExtractor", [("X", floats(5)), ("I", i64(1, 3), "init")], F32, 1, ML)
    yield "afe_1d", model, feeds, True
    model, feeds = single_op("ArrayFeatureExtractor", [("X", floats(2, 3, 4)), ("I", i64(3), "init")], F32, 1, ML)
    yield "afe_3d", model, feeds, True
    for name, value in [("int64", ints(50, 2, low=0, high=6)), ("float", ints(50, 2, low=0, high=6).astype(np.float32) + 0.5),
                        ("double", ints(50, 2, low=0, high=6).astype(np.float64))]:
        model, feeds = single_op("OneHotEncoder", [("X", value)], F32, 1, ML, cats_int64s=[0, 2, 3, 5])
        yield f"onehot_{name}", model, feeds, True
    # Floats are cast to int64 first: truncated, and NaN or out-of-range values become INT64_MIN on x86.
    xf = np.array([[np.nan, 1.9, -0.5, 3e19]], dtype=np.float32)
    model, feeds = single_op("OneHotEncoder", [("X", xf)], F32, 1, ML, cats_int64s=[0, 1, -2**63])
    yield "onehot_float_cast", model, feeds, True
    xs = np.array([["a", "b"], ["zz", "c"]], dtype=object)
    model, feeds = single_op("OneHotEncoder", [("X", xs)], F32, 1, ML, cats_strings=["c", "a", "b"])
    yield "onehot_strings", model, feeds, True
    model, feeds = single_op("OneHotEncoder", [("X", i64(2, 0))], F32, 1, ML, cats_int64s=[0, 2], zeros=0)
    yield "onehot_zeros0_known", model, feeds, True


def label_encoder_cases():
    s = np.array([["a", "b", "q"], ["c", "a", "zz"]], dtype=object)
    model, feeds = single_op("LabelEncoder", [("X", s)], [("Y", np.int64)], 1, ML,
                             classes_strings=["a", "b", "c"], default_int64=-7)
    yield "labelenc1_string_int", model, feeds, True
    model, feeds = single_op("LabelEncoder", [("X", i64(0, 2, 5, -1))], [("Y", str)], 1, ML,
                             classes_strings=["a", "b", "c"], default_string="none")
    yield "labelenc1_int_string", model, feeds, True
    keyed = {
        "int64": ("keys_int64s", [1, 5, 9], i64(1, 2, 5, 9, 9)),
        "string": ("keys_strings", ["x", "y", "z"], np.array(["y", "q", "x"], dtype=object)),
        "float": ("keys_floats", [0.5, -1.25, 3.0],
                  np.array([[0.5, 1.0], [-1.25, np.nan], [3.0, -0.0]], dtype=np.float32)),
    }
    valued = {
        "int64": ("values_int64s", [10, 20, 30], np.int64),
        "string": ("values_strings", ["A", "B", "C"], str),
        "float": ("values_floats", [0.1, 0.2, 0.3], np.float32),
    }
    for kname, (kattr, keys, xin) in keyed.items():
        for vname, (vattr, values, vtype) in valued.items():
            if kname == vname == "int64":
                continue  # onnx 1.23 only registers int64 -> int64 from LabelEncoder 4
            model, feeds = single_op("LabelEncoder", [("X", xin)], [("Y", vtype)], 2, ML,
                                     **{kattr: keys, vattr: values})
            yield f"labelenc2_{kname}_{vname}", model, feeds, True
    model, feeds = single_op("LabelEncoder", [("X", keyed["string"][2])], [("Y", np.int64)], 2, ML,
                             keys_strings=["x", "y"], values_int64s=[1, 2], default_int64=42)
    yield "labelenc2_default_int", model, feeds, True
    model, feeds = single_op("LabelEncoder", [("X", keyed["int64"][2])], [("Y", np.float32)], 2, ML,
                             keys_int64s=[1, 5], values_floats=[1.5, 2.5], default_float=-3.0)
    yield "labelenc2_default_float", model, feeds, True
    model, feeds = single_op("LabelEncoder", [("X", s)], [("Y", np.int64)], 1, ML, classes_strings=["a", "b"])
    yield "labelenc1_defaults", model, feeds, True
    model, feeds = single_op("LabelEncoder", [("X", i64(1, 2, 3))], [("Y", str)], 2, ML,
                             keys_int64s=[1, 2, 1], values_strings=["first", "two", "again"])
    yield "labelenc2_repeated_key", model, feeds, True
    yield from label_encoder4_cases(keyed)


def tensor(values, dtype):
    return numpy_helper.from_array(np.array(values, dtype=dtype))


def label_encoder4_cases(keyed):
    xf = np.array([[0.5, np.nan], [2.0, -1.0]], dtype=np.float32)
    for opset in [4, 5]:
        model, feeds = single_op("LabelEncoder", [("X", xf)], [("Y", np.int64)], opset, ML,
                                 keys_floats=[0.5, float("nan"), 2.0], values_int64s=[1, 2, 3])
        yield f"labelenc{opset}_float_nan_key", model, feeds, True
    model, feeds = single_op("LabelEncoder", [("X", keyed["int64"][2])], [("Y", np.int64)], 4, ML,
                             keys_int64s=[1, 5, 1], values_int64s=[3, 4, 7], default_int64=-9)
    yield "labelenc4_int_int_repeated", model, feeds, True
    xd = np.array([1.5, 2.5, np.nan, 0.0], dtype=np.float64)
    model, feeds = single_op("LabelEncoder", [("X", xd)], [("Y", np.float64)], 4, ML,
                             keys_tensor=tensor([1.5, np.nan], np.float64), values_tensor=tensor([10.0, 20.0], np.float64),
                             default_tensor=tensor([-5.0], np.float64))
    yield "labelenc4_double_tensors", model, feeds, True
    model, feeds = single_op("LabelEncoder", [("X", xd)], [("Y", np.float64)], 4, ML,
                             keys_tensor=tensor([1.5], np.float64), values_tensor=tensor([10.0], np.float64),
                             default_float=3.0)
    yield "labelenc4_double_ignores_default_float", model, feeds, True
    model, feeds = single_op("LabelEncoder", [("X", keyed["string"][2])], [("Y", np.int16)], 4, ML,
                             keys_strings=["x", "y"], values_tensor=tensor([7, 8], np.int16))
    yield "labelenc4_string_int16", model, feeds, True
    for vname, values, vtype in [("float", dict(values_floats=[0.5, 1.5]), np.float32),
                                 ("string", dict(values_strings=["p", "q"]), str)]:
        model, feeds = single_op("LabelEncoder", [("X", keyed["string"][2])], [("Y", vtype)], 4, ML,
                                 keys_tensor=tensor(["x", "y"], object), **values)
        yield f"labelenc4_string_{vname}_defaults", model, feeds, True


def vectorizer(name, inputs, widths):
    nodes = [helper.make_node("FeatureVectorizer", [n for n, _ in inputs], ["Y"], domain=ML, inputdimensions=widths)]
    info = [helper.make_tensor_value_info(n, elem(v.dtype), list(v.shape)) for n, v in inputs]
    graph = helper.make_graph(nodes, name, info, [helper.make_tensor_value_info("Y", elem(np.float32), None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(ML, 1), helper.make_opsetid("", 17)],
                              ir_version=8)
    return model, dict(inputs)


def feature_vectorizer_cases():
    # Inputs wider than their inputdimensions are cut, narrower ones padded with zeros.
    model, feeds = vectorizer("fv", [("A", floats(100, 2)), ("B", floats(100, 3)), ("C", floats(100, 1))], [2, 2, 3])
    yield "featurevectorizer_pad_and_cut", model, feeds, True
    model, feeds = vectorizer("fv_int", [("A", ints(4, 2)), ("B", ints(4, 1))], [2, 1])
    yield "featurevectorizer_int64", model, feeds, True
    model, feeds = vectorizer("fv_double", [("A", floats(1, 3, dtype=np.float64))], [3])
    yield "featurevectorizer_double_1", model, feeds, True


cases = chain(sklearn_cases, normalizer_scaler_cases, imputer_cases, extractor_encoder_cases, label_encoder_cases,
              feature_vectorizer_cases)
