"""Single-op graphs of the elementwise ai.onnx ops (arithmetic, comparison, logic, Where, unary math and
activations) over broadcasting shapes, several element types, NaN and infinities, and the opsets where an
op's inputs or attributes changed. Case names start with ew_."""

from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper, numpy_helper
from single_op import OPSETS, Const, chain, typed_op
from skl2onnx import to_onnx
from sklearn.datasets import load_diabetes, load_iris
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import GammaRegressor, Perceptron, PoissonRegressor, SGDClassifier, TweedieRegressor
from sklearn.mixture import BayesianGaussianMixture
from sklearn.naive_bayes import ComplementNB, GaussianNB, MultinomialNB
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import KBinsDiscretizer, MaxAbsScaler, PowerTransformer, RobustScaler

NAN, INF = np.nan, np.inf


def _rng():
    return np.random.default_rng(20261127)


def _values(rng, shape, dtype, specials=True, positive=False, nonzero=False):
    if np.issubdtype(dtype, np.integer):
        v = rng.integers(1 if positive else -9, 10, size=shape)
        if nonzero:
            v[v == 0] = 3
        return v.astype(dtype)
    v = rng.normal(scale=2.0, size=shape)
    if positive:
        v = np.abs(v) + 0.1
    v = v.astype(dtype)
    if specials and v.size >= 4:
        flat = v.reshape(-1)
        flat[0], flat[1], flat[2] = NAN, INF, -INF
    return v


# Pairs of broadcast shapes: same, trailing vector, scalar, [1], column vs row, rank 3.
SHAPES = [
    ("same", (3, 4), (3, 4)),
    ("row", (3, 4), (4,)),
    ("scalar", (3, 4), ()),
    ("one", (1,), (3, 4)),
    ("colrow", (3, 1), (1, 4)),
    ("rank3", (2, 3, 4), (3, 1)),
    ("rank3b", (2, 1, 4), (3, 1)),
]


def _arith():
    rng = _rng()
    for op in ["Add", "Sub", "Mul", "Div"]:
        for tag, sa, sb in SHAPES:
            a, b = _values(rng, sa, np.float32), _values(rng, sb, np.float32, specials=False)
            yield f"ew_{op.lower()}_f32_{tag}", *typed_op(op, [a, b]), True
        for dtype in [np.float64, np.int64, np.int32]:
            t = np.dtype(dtype).name
            a, b = _values(rng, (3, 4), dtype), _values(rng, (4,), dtype, specials=False, nonzero=True)
            yield f"ew_{op.lower()}_{t}_row", *typed_op(op, [a, b]), True
        # The constant operand as an initializer, as converters write it.
        a = _values(rng, (5, 3), np.float32, specials=False)
        c = Const(_values(rng, (3,), np.float32, specials=False, positive=True))
        yield f"ew_{op.lower()}_f32_const", *typed_op(op, [a, c]), True
    # Division by zero in floats gives infinities and NaN; integer division truncates toward zero.
    yield "ew_div_f32_by_zero", *typed_op(
        "Div", [np.array([1, -1, 0, NAN], np.float32), np.array([0, 0, 0, 0], np.float32)]
    ), True
    yield "ew_div_int64_trunc", *typed_op(
        "Div", [np.array([7, -7, 7, -7, 0, 9], np.int64), np.array([2, 2, -2, -2, 5, 3], np.int64)]
    ), True
    a, b = _values(rng, (2, 3), np.float32), _values(rng, (3,), np.float32)
    yield "ew_add_opset7", *typed_op("Add", [a, b], opset=7), True


def _pow_mod():
    rng = _rng()
    base = np.array([[2, -2, 0.5, 0], [3, -1.5, 10, NAN]], np.float32)
    yield "ew_pow_f32_same", *typed_op("Pow", [base, np.array([[3, 3, -2, 0], [0.5, 2, -1, 2]], np.float32)]), True
    yield "ew_pow_f32_square", *typed_op("Pow", [base, np.array(2, np.float32)]), True
    yield "ew_pow_f32_cube", *typed_op("Pow", [_values(rng, (4, 50), np.float32), np.array(3, np.float32)]), True
    yield "ew_pow_int64_cube", *typed_op("Pow", [_values(rng, (2, 5), np.int64), np.array([3], np.int64)]), True
    yield "ew_pow_f32_sqrt", *typed_op("Pow", [np.abs(base), np.array([0.5], np.float32)]), True
    yield "ew_pow_f32_int_exp", *typed_op("Pow", [base, np.array([3, 2, 1, 0], np.int64)]), True
    yield "ew_pow_f64", *typed_op("Pow", [base.astype(np.float64), np.array([[1.5], [-0.5]])]), True
    yield "ew_pow_int64", *typed_op("Pow", [np.array([2, 3, -2, 5], np.int64), np.array([3, 2, 3, 0], np.int64)]), True
    yield "ew_pow_int64_float_exp", *typed_op(
        "Pow", [np.array([2, 3, 4, 7], np.int64), np.array([0.5, 2.5, 0.5, 1.2], np.float32)]
    ), True
    positive = np.abs(_values(rng, (3, 2), np.float32, specials=False))
    yield "ew_pow_opset7", *typed_op("Pow", [positive, np.array([2, 0.5], np.float32)], opset=7), True
    ints = np.array([[7, -7, 7, -7, 0, 13], [1, -1, 9, -9, 4, -13]], np.int64)
    divisors = np.array([3, 3, -3, -3, 5, 4], np.int64)
    yield "ew_mod_int64", *typed_op("Mod", [ints, divisors]), True
    yield "ew_mod_int64_fmod", *typed_op("Mod", [ints, divisors], {"fmod": 1}), True
    yield "ew_mod_int32_scalar", *typed_op("Mod", [ints.astype(np.int32), np.array(-4, np.int32)]), True
    floats = np.array([[7.5, -7.5, 7.5, -7.5, 0.25, INF], [1, -1, 0, 3, NAN, 2]], np.float32)
    fdiv = np.array([2, 2, -2, -2, 0.1, 3], np.float32)
    yield "ew_mod_f32_fmod", *typed_op("Mod", [floats, fdiv], {"fmod": 1}), True
    yield "ew_mod_f64_fmod_inf", *typed_op("Mod", [floats.astype(np.float64), np.array([INF])], {"fmod": 1}), True


def _variadic():
    rng = _rng()
    a = np.array([[1, NAN, -2, INF], [-INF, 0.5, 3, 2]], np.float32)
    b = np.array([[NAN], [1]], np.float32)
    c = np.array([0.25, 3, -5, 2], np.float32)
    for op in ["Max", "Min", "Sum", "Mean"]:
        yield f"ew_{op.lower()}_three", *typed_op(op, [a, b, c]), True
        yield f"ew_{op.lower()}_one", *typed_op(op, [_values(rng, (2, 3), np.float32)]), True
        dtype = np.float32 if op == "Mean" else np.float64  # onnxruntime has no double Mean
        yield f"ew_{op.lower()}_{np.dtype(dtype).name}_rank3", *typed_op(
            op, [_values(rng, (2, 3, 4), dtype), _values(rng, (1, 4), dtype, False)]
        ), True
        # opset 7: no broadcasting yet, same shapes only.
        yield f"ew_{op.lower()}_opset7", *typed_op(
            op, [_values(rng, (2, 3), np.float32), _values(rng, (2, 3), np.float32)], opset=7
        ), True
    for op in ["Max", "Min"]:
        a, b = _values(rng, (3, 4), np.int64), _values(rng, (4,), np.int64)
        yield f"ew_{op.lower()}_int64", *typed_op(op, [a, b]), True
    yield "ew_max_int32", *typed_op("Max", [_values(rng, (3, 4), np.int32), _values(rng, (3, 1), np.int32)]), True
    # Sum of float32 values whose pairwise float32 sums round differently from the exact sum.
    big = np.array([1e8, 1, -1e8, 3.3], np.float32)
    yield "ew_sum_f32_rounding", *typed_op("Sum", [big, np.array([1, 1e8, 1, 0.1], np.float32), -big]), True


def _compare_logic():
    rng = _rng()
    a = np.array([[1, NAN, -2, INF], [-INF, 0.5, 3, 2]], np.float32)
    b = np.array([[1], [NAN]], np.float32)
    for op in ["Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual"]:
        yield f"ew_{op.lower()}_f32", *typed_op(op, [a, b], opset=16), True
        ia, ib = rng.integers(-3, 3, size=(2, 3, 4)), rng.integers(-3, 3, size=(3, 1))
        yield f"ew_{op.lower()}_int64_rank3", *typed_op(op, [ia.astype(np.int64), ib.astype(np.int64)]), True
        yield f"ew_{op.lower()}_f64_scalar", *typed_op(op, [_values(rng, (5,), np.float64), np.array(0.5)]), True
    yield "ew_equal_bool", *typed_op("Equal", [np.array([[True, False]]), np.array([[True], [False]])]), True
    yield "ew_equal_int32", *typed_op("Equal", [np.array([1, 2, 3], np.int32), np.array([3, 2, 1], np.int32)]), True
    yield "ew_equal_string", *typed_op(
        "Equal", [np.array(["a", "b", "", "ab"], dtype=object), np.array(["a"], dtype=object)], opset=19
    ), True
    p = np.array([[True, False, True, False]])
    q = np.array([[True], [False], [True]])
    for op in ["And", "Or", "Xor"]:
        yield f"ew_{op.lower()}_bool", *typed_op(op, [p, q]), True
        yield f"ew_{op.lower()}_scalar", *typed_op(op, [p, np.array(True)]), True
    yield "ew_not_bool", *typed_op("Not", [np.array([[True, False], [False, False]])]), True
    cond = np.array([[True], [False], [True]])
    yield "ew_where_f32", *typed_op("Where", [cond, _values(rng, (1, 4), np.float32), np.array(-1, np.float32)]), True
    yield "ew_where_int64_rank3", *typed_op(
        "Where", [rng.random((2, 1, 4)) > 0.5, _values(rng, (3, 4), np.int64), _values(rng, (2, 3, 1), np.int64)]
    ), True
    yield "ew_where_string", *typed_op(
        "Where", [np.array([True, False, True]), np.array(["a", "b", "c"], dtype=object), np.array(["z"], dtype=object)]
    ), True
    x, y = _values(rng, (3, 2), np.float64), _values(rng, (2,), np.float64)
    yield "ew_where_opset9", *typed_op("Where", [cond, x, y], opset=9), True


# The inputs every float unary op sees: signs, zeros, NaN, infinities, halves, large and tiny magnitudes.
UNARY_IN = np.array(
    [NAN, INF, -INF, 0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 1, -1, 3.7, -3.7, 20, -20, 100, -100, 1e-4, -1e-4, 0.3, -0.7],
    np.float32,
)


def _unary():
    rng = _rng()
    float_ops = ["Relu", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Abs", "Neg", "Reciprocal", "Floor", "Ceil", "Round",
                 "Sign", "Erf", "Softplus", "Softsign", "Elu", "Selu", "LeakyRelu", "HardSigmoid", "Sin", "Cos",
                 "IsNaN", "IsInf"]
    # onnxruntime implements these for float32 only.
    no_double = {"Erf", "Softplus", "Softsign", "Elu", "Selu", "LeakyRelu", "HardSigmoid"}
    for op in float_ops:
        opset = 20 if op == "IsInf" else 13
        yield f"ew_{op.lower()}_f32", *typed_op(op, [UNARY_IN.reshape(2, 11)], opset=opset), True
        if op not in no_double:
            yield f"ew_{op.lower()}_f64", *typed_op(op, [_values(rng, (3, 5), np.float64)], opset=opset), True
    for op in ["Abs", "Neg", "Sign"]:
        yield f"ew_{op.lower()}_int64", *typed_op(op, [_values(rng, (2, 5), np.int64)], opset=14), True
    for op in ["Abs", "Neg", "Sign", "Relu"]:
        yield f"ew_{op.lower()}_int32", *typed_op(op, [_values(rng, (2, 5), np.int32)], opset=14), True
    yield "ew_erf_range", *typed_op("Erf", [np.linspace(-6, 6, 97).astype(np.float32)]), True
    yield "ew_round_halves", *typed_op("Round", [np.arange(-6, 6, 0.5).astype(np.float32)]), True
    yield "ew_sigmoid_wide", *typed_op("Sigmoid", [np.linspace(-40, 40, 81).astype(np.float32)]), True
    yield "ew_softplus_wide", *typed_op("Softplus", [np.linspace(-60, 60, 61).astype(np.float32)]), True
    yield "ew_tanh_wide", *typed_op("Tanh", [np.linspace(-12, 12, 97).astype(np.float32)]), True
    yield "ew_leakyrelu_alpha", *typed_op("LeakyRelu", [UNARY_IN], {"alpha": 0.3}), True
    yield "ew_hardsigmoid_attrs", *typed_op("HardSigmoid", [UNARY_IN], {"alpha": 0.7, "beta": 0.1}), True
    yield "ew_elu_alpha", *typed_op("Elu", [UNARY_IN], {"alpha": 0.5}), True
    yield "ew_selu_attrs", *typed_op("Selu", [UNARY_IN], {"alpha": 2.0, "gamma": 0.5}), True
    yield "ew_isinf_pos_only", *typed_op("IsInf", [UNARY_IN], {"detect_negative": 0}), True
    yield "ew_isinf_neg_only", *typed_op("IsInf", [UNARY_IN.astype(np.float64)], {"detect_positive": 0}), True


def _more_activations():
    rng = _rng()
    for op in ["Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "HardSwish", "Mish",
               "Celu", "ThresholdedRelu"]:
        yield f"ew_{op.lower()}_f32", *typed_op(op, [UNARY_IN.reshape(2, 11)], opset=18), True
    for op in ["HardSwish", "Mish", "ThresholdedRelu"]:
        yield f"ew_{op.lower()}_f64", *typed_op(op, [_values(rng, (3, 5), np.float64)], opset=18), True
    yield "ew_celu_alpha", *typed_op("Celu", [UNARY_IN], {"alpha": 0.4}, opset=12), True
    yield "ew_thresholdedrelu_alpha", *typed_op("ThresholdedRelu", [UNARY_IN], {"alpha": -0.6}, opset=10), True
    ints = np.array([-5, -3, -2, -1, 0, 1, 2, 3, 5], np.int64)
    yield "ew_shrink_f32", *typed_op("Shrink", [UNARY_IN], {"bias": 1.7, "lambd": 1.5}), True
    yield "ew_shrink_default", *typed_op("Shrink", [UNARY_IN.astype(np.float64)]), True
    yield "ew_shrink_int64", *typed_op("Shrink", [ints], {"bias": 0.5, "lambd": 1.5}), True
    yield "ew_shrink_int32", *typed_op("Shrink", [ints.astype(np.int32)], {"bias": 1.7, "lambd": 1.5}), True
    x = _values(rng, (2, 3, 4), np.float32)
    yield "ew_prelu_channel", *typed_op("PRelu", [x, Const(np.array([[0.1], [0.2], [-0.3]], np.float32))]), True
    yield "ew_prelu_scalar_slope", *typed_op("PRelu", [x, np.array([0.25], np.float32)], opset=9), True
    slopes = np.array([2, 3, -1, 0])
    yield "ew_prelu_int64", *typed_op("PRelu", [_values(rng, (3, 4), np.int64), slopes], opset=16), True


def _clip():
    x = UNARY_IN.reshape(2, 11)
    yield "ew_clip_opset7_attrs", *typed_op("Clip", [x], {"min": -1.5, "max": 2.0}, opset=7), True
    yield "ew_clip_opset10_min_only", *typed_op("Clip", [x], {"min": 0.0}, opset=10), True
    yield "ew_clip_opset10_defaults", *typed_op("Clip", [x], opset=10), True
    lo, hi = np.array(-1.5, np.float32), np.array(2, np.float32)
    yield "ew_clip_opset11_both", *typed_op("Clip", [x, lo, hi], opset=11), True
    yield "ew_clip_opset13_max_only", *typed_op("Clip", [x, None, Const(np.array(0.5, np.float32))], opset=13), True
    yield "ew_clip_opset13_none", *typed_op("Clip", [x], opset=13), True
    yield "ew_clip_opset13_min_gt_max", *typed_op("Clip", [x, -lo, -hi], opset=13), True
    yield "ew_clip_opset13_int64", *typed_op(
        "Clip", [np.arange(-5, 5, dtype=np.int64).reshape(2, 5), np.array(-2), np.array(3)], opset=13
    ), True
    yield "ew_clip_opset13_f64", *typed_op("Clip", [x.astype(np.float64), np.array(-0.25)], opset=13), True


def _edges():
    # No rows: a batch of zero is served like any other.
    z = np.zeros((0, 3), np.float32)
    yield "ew_empty_add", *typed_op("Add", [z, np.ones(3, np.float32)]), True
    yield "ew_empty_sigmoid", *typed_op("Sigmoid", [z]), True
    yield "ew_empty_where", *typed_op("Where", [np.zeros((0, 1), bool), z, np.array(1, np.float32)]), True
    # Small integer types wrap as C does; opsets where types or broadcasting were added.
    yield "ew_add_uint8_wrap", *typed_op("Add", [np.array([1, 200], np.uint8), np.array([3, 100], np.uint8)]), True
    yield "ew_add_int8_wrap", *typed_op("Add", [np.array([1, 100], np.int8), np.array([3, 100], np.int8)]), True
    yield "ew_neg_int8_min", *typed_op("Neg", [np.array([-128, 5, 0], np.int8)], opset=13), True
    yield "ew_max_uint8", *typed_op("Max", [np.array([1, 200], np.uint8), np.array([3, 100], np.uint8)]), True
    ones, row = np.ones((2, 3), np.float32), np.arange(3, dtype=np.float32)
    yield "ew_sum_opset8_broadcast", *typed_op("Sum", [ones, row], opset=8), True
    yield "ew_clip_opset12_int32", *typed_op(
        "Clip", [np.arange(-5, 5, dtype=np.int32), np.array(-2, np.int32), np.array(3, np.int32)], opset=12
    ), True
    for approximate in ("none", "tanh"):
        yield f"ew_gelu_{approximate}", *typed_op("Gelu", [UNARY_IN], {"approximate": approximate}, opset=20), True
    yield "ew_gelu_default_range", *typed_op("Gelu", [np.linspace(-6, 6, 49).astype(np.float32)], opset=20), True


def _random_broadcasts():
    """Seeded random shapes of rank 0-4 whose dimensions each broadcast or match, for 2- and 3-input ops."""
    rng = np.random.default_rng(5)
    for i in range(48):
        rank = int(rng.integers(0, 5))
        out = [int(rng.integers(1, 5)) for _ in range(rank)]

        def sub():
            r = int(rng.integers(0, rank + 1))
            return tuple(d if rng.random() < 0.6 else 1 for d in out[rank - r:])

        sa, sb, sc = sub(), sub(), sub()
        a, b = rng.normal(size=sa).astype(np.float32), rng.normal(size=sb).astype(np.float32)
        op = ["Add", "Where", "Max", "Sum", "Greater", "Sub"][i % 6]
        if op == "Where":
            args = [rng.random(sc) > 0.5, a, b]
        elif op in ("Max", "Sum"):
            args = [a, b, rng.normal(size=sc).astype(np.float32)]
        else:
            args = [a, b]
        yield f"ew_rand_{i}_{op.lower()}", *typed_op(op, args), True


def _sweeps():
    """Each float op over 2000 values of magnitudes 0.01 to 100 (onnxruntime's float32 math is approximated)."""
    rng = np.random.default_rng(1)
    wide = np.concatenate([rng.normal(scale=s, size=400) for s in (0.01, 1, 5, 30, 100)]).astype(np.float32)
    pos = np.abs(wide) + np.float32(1e-30)
    unit = np.clip(wide / 100, -1, 1).astype(np.float32)
    for op, x in [("Exp", wide), ("Log", pos), ("Sqrt", pos), ("Tanh", wide), ("Sigmoid", wide), ("Erf", wide),
                  ("Softplus", wide), ("Elu", wide), ("Selu", wide), ("Gelu", wide), ("Mish", wide), ("Sin", wide),
                  ("Cos", wide), ("Tan", unit), ("Asin", unit), ("Acos", unit), ("Atan", wide), ("Sinh", unit * 80),
                  ("Cosh", unit * 80), ("Asinh", wide), ("Acosh", pos + 1), ("Atanh", unit * 0.999)]:
        yield f"ew_sweep_{op.lower()}", *typed_op(op, [x], opset=20 if op == "Gelu" else 18), True
    yield "ew_sweep_pow", *typed_op("Pow", [pos.reshape(20, 100), rng.normal(size=100).astype(np.float32)]), True


def _refused():
    # float16 is not a type of this engine: Add on a float16 initializer is refused at load, so ONNX Runtime
    # serves the model (float32 in and out, cast around the float16 Add).
    nodes = [
        helper.make_node("Cast", ["x"], ["h"], to=TensorProto.FLOAT16),
        helper.make_node("Add", ["h", "c"], ["s"]),
        helper.make_node("Cast", ["s"], ["y"], to=TensorProto.FLOAT),
    ]
    graph = helper.make_graph(
        nodes, "half", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])],
        [numpy_helper.from_array(np.array([0.5, 1, 2], np.float16), "c")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    yield "ew_refuse_float16_add", model, {"x": np.array([[1, 2, 3]], np.float32)}, False


def _sklearn():
    """Conversions whose graphs are mostly these ops (with MatMul, Concat, Reshape, ArrayFeatureExtractor)."""
    Xi, yi = load_iris(return_X_y=True)
    Xi = Xi.astype(np.float32)
    rows = np.concatenate([Xi, Xi * 1.5 - 1])
    # log_loss: multiclass is Exp/Reciprocal/ReduceSum/Not/Div normalisation, binary is Sigmoid/Sub/Concat.
    multi = SGDClassifier(loss="log_loss", random_state=0).fit(Xi, yi)
    yield "ew_sk_sgd_log_multi", to_onnx(multi, Xi[:1], target_opset=OPSETS), {"X": rows}, True
    nozip = to_onnx(multi, Xi[:1], target_opset=OPSETS, options={id(multi): {"zipmap": False}})
    yield "ew_sk_sgd_log_multi_1", nozip, {"X": rows[:1]}, True
    # KMeans is left out until Gemm rounds like onnxruntime: |x|² - 2x·c + |c|² cancels a 1-ulp Gemm difference
    # into 1e-5 relative on the nearest distance (these ops reproduce onnxruntime given its Gemm output).
    binary = SGDClassifier(loss="log_loss", random_state=0).fit(Xi, yi == 1)
    yield "ew_sk_sgd_log_binary", to_onnx(binary, Xi[:1], target_opset=OPSETS), {"X": rows}, True
    Xd, yd = load_diabetes(return_X_y=True)
    Xd = Xd.astype(np.float32)
    mlp = MLPRegressor(hidden_layer_sizes=(12,), activation="logistic", max_iter=300, random_state=0).fit(Xd, yd)
    yield "ew_sk_mlp_regressor_logistic", to_onnx(mlp, Xd[:1], target_opset=OPSETS), {"X": Xd[:64]}, True
    yd_pos = np.abs(yd) + 1
    models = [
        ("gaussian_nb", GaussianNB(), Xi, yi, rows),
        ("multinomial_nb", MultinomialNB(), Xi, yi, Xi),
        ("complement_nb", ComplementNB(), Xi, yi, Xi),
        ("lda", LinearDiscriminantAnalysis(), Xi, yi, rows),
        ("perceptron", Perceptron(random_state=0), Xi, yi, rows),
        ("sgd_modified_huber", SGDClassifier(loss="modified_huber", random_state=0), Xi, yi, rows),
        ("poisson", PoissonRegressor(), Xd, yd_pos, Xd[:50]),
        ("gamma", GammaRegressor(), Xd, yd_pos, Xd[:50]),
        ("tweedie_log", TweedieRegressor(power=1.5, link="log"), Xd, yd_pos, Xd[:50]),
        ("power_transformer", PowerTransformer(), Xi, None, rows),
        ("maxabs_scaler", MaxAbsScaler(), Xi, None, rows),
        ("robust_scaler", RobustScaler(), Xi, None, rows),
        ("kbins_ordinal", KBinsDiscretizer(n_bins=4, encode="ordinal"), Xi, None, rows),
        ("bayesian_mixture", BayesianGaussianMixture(n_components=3, random_state=0), Xi, None, Xi),
    ]
    for name, est, X, y, feed in models:
        est.fit(X, y) if y is not None else est.fit(X)
        yield f"ew_sk_{name}", to_onnx(est, X[:1], target_opset=OPSETS), {"X": feed}, True


cases = chain(_sklearn, _arith, _pow_mod, _variadic, _compare_logic, _unary, _more_activations, _clip, _edges,
              _random_broadcasts, _sweeps, _refused)
