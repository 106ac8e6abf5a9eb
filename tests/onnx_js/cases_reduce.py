"""Single-op graphs of the ai.onnx reductions and ArgMax/ArgMin: axes as attribute (before opset 13 for
ReduceSum, 18 for the others) and as an optional input (from then on, fed or constant), negative axes,
keepdims, noop_with_empty_axes, several element types. Case names start with red_."""

from __future__ import annotations

import numpy as np
from single_op import Const, chain, typed_op

REDUCE_OPS = ["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare", "ReduceL1",
              "ReduceL2", "ReduceLogSum", "ReduceLogSumExp"]


def _input_since(op):
    return 13 if op == "ReduceSum" else 18


def _data(op, rng, shape, dtype=np.float32):
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-4 if op != "ReduceLogSum" else 1, 5, size=shape).astype(dtype)
    if op == "ReduceLogSum":
        return (rng.random(shape) * 3 + 0.05).astype(dtype)
    if op == "ReduceProd":
        return rng.uniform(-1.6, 1.6, size=shape).astype(dtype)
    return rng.normal(scale=2.0, size=shape).astype(dtype)


def _axes(op, opset, axes, attrs=None):
    """(extra args, attrs) giving `axes` the way this op at this opset takes them (None: not given)."""
    attrs = dict(attrs or {})
    if opset >= _input_since(op):
        return ([Const(np.array(axes, np.int64))] if axes is not None else []), attrs
    if axes is not None:
        attrs["axes"] = axes
    return [], attrs


def _reductions():
    rng = np.random.default_rng(7)
    for op in REDUCE_OPS:
        short = op[len("Reduce"):].lower()
        old, new = (11, 13) if op == "ReduceSum" else (13, 18)
        x = _data(op, rng, (2, 3, 4))
        for opset in (old, new):
            for tag, axes, keep in [("ax1", [1], 1), ("ax02", [0, 2], 0), ("neg", [-1], 1), ("all", None, 0),
                                    ("all_keep", None, 1)]:
                extra, attrs = _axes(op, opset, axes, {"keepdims": keep})
                yield f"red_{short}_{tag}_opset{opset}", *typed_op(op, [x, *extra], attrs, opset=opset), True
        # Axes fed at run time, an empty axes tensor (every axis), and noop_with_empty_axes (no axis).
        fed = np.array([0, -1], np.int64)
        yield f"red_{short}_fed_axes", *typed_op(op, [x, fed], {"keepdims": 0}, opset=new), True
        yield f"red_{short}_empty_axes", *typed_op(op, [x, Const(np.array([], np.int64))], opset=new), True
        yield f"red_{short}_noop", *typed_op(op, [x], {"noop_with_empty_axes": 1}, opset=new), True
        yield f"red_{short}_f64_rank2", *typed_op(op, [_data(op, rng, (5, 3), np.float64), *_axes(op, new, [0])[0]],
                                                    opset=new), True
        yield f"red_{short}_vector", *typed_op(op, [_data(op, rng, (7,))], {"keepdims": 0}, opset=new), True
    # float32 ReduceSumSquare over some axes takes onnxruntime's float32 steps: onnx_js_scan_test.ts wants
    # these "_f32steps_" outputs bit for bit.
    for shape, axes in [((100, 10), [1]), ((1, 4), [1]), ((50, 7), [0]), ((4, 5, 6), [0, 2]), ((3, 1000), [-1])]:
        tag = "x".join(map(str, shape)) + "_ax" + "".join(str(a % len(shape)) for a in axes)
        x = np.random.default_rng(17).normal(scale=2.0, size=shape).astype(np.float32)  # rng's draws unchanged
        yield f"red_sumsquare_f32steps_{tag}", *typed_op("ReduceSumSquare", [x], {"axes": axes}, opset=13), True
    for op in ["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare", "ReduceL1"]:
        short = op[len("Reduce"):].lower()
        for dtype in (np.int64, np.int32):
            x = _data(op, rng, (3, 5), dtype)
            extra, attrs = _axes(op, 18, [1], {"keepdims": 0})
            yield f"red_{short}_{np.dtype(dtype).name}", *typed_op(op, [x, *extra], attrs, opset=18), True
    # Large inputs: exp overflows float32 unless the maximum is subtracted first; infinities pass through.
    big = np.array([[100, 101, 99], [-200, -201, -199], [-np.inf, -np.inf, -np.inf], [np.inf, 1, 2]], np.float32)
    yield "red_logsumexp_large", *typed_op("ReduceLogSumExp", [big], {"axes": [1], "keepdims": 0}, opset=13), True
    # ReduceSum of float32 on the rows of an sklearn-like probability matrix, axis 1, keepdims.
    p = rng.random((6, 3)).astype(np.float32)
    axis1 = Const(np.array([1], np.int64))
    yield "red_sum_rows_keep", *typed_op("ReduceSum", [p, axis1], {"keepdims": 1}, opset=13), True


def _edges():
    # Zero rows: reducing the empty axis gives each reduction's identity (onnxruntime: mean 0, max -inf, ...).
    z = np.zeros((0, 3), np.float32)
    for op in REDUCE_OPS:
        short = op[len("Reduce"):].lower()
        extra, attrs = _axes(op, 13, [0])
        yield f"red_{short}_empty_axis", *typed_op(op, [z, *extra], attrs, opset=13), True
    yield "red_sum_empty_rows", *typed_op("ReduceSum", [z, Const(np.array([1], np.int64))], opset=13), True
    yield "red_argmax_empty_rows", *typed_op("ArgMax", [z], {"axis": 1}), True
    # bool ReduceMax/ReduceMin (opset 20).
    b = np.array([[True, False, True], [False, False, True]])
    yield "red_max_bool", *typed_op("ReduceMax", [b, Const(np.array([1], np.int64))], opset=20), True
    yield "red_min_bool", *typed_op("ReduceMin", [b], {"keepdims": 0}, opset=20), True


def _random_axes():
    """Seeded random shapes of rank 1-4 with a random subset of axes (none: all) and keepdims."""
    rng = np.random.default_rng(5)
    for i in range(32):
        rank = int(rng.integers(1, 5))
        shape = tuple(int(rng.integers(1, 5)) for _ in range(rank))
        axes = [a - rank if rng.random() < 0.3 else a for a in range(rank) if rng.random() < 0.5]
        x = rng.normal(size=shape).astype(np.float32)
        op = ["ReduceSum", "ReduceMax", "ReduceProd", "ReduceL1", "ReduceLogSumExp", "ReduceMean", "ReduceMin",
              "ReduceSumSquare"][i % 8]
        extra, attrs = _axes(op, 18, axes or None, {"keepdims": int(rng.integers(0, 2))})
        yield f"red_rand_{i}_{op[len('Reduce'):].lower()}", *typed_op(op, [x, *extra], attrs, opset=18), True


def _arg():
    rng = np.random.default_rng(11)
    x = rng.normal(size=(3, 4, 5)).astype(np.float32)
    ties = np.array([[3, 1, 3, 0], [2, 2, 2, 2], [-1, -5, -5, -1]], np.int64)
    for op in ["ArgMax", "ArgMin"]:
        short = op.lower()
        for axis in (0, 1, -1):
            yield f"red_{short}_axis{axis}", *typed_op(op, [x], {"axis": axis}), True
        yield f"red_{short}_nokeep", *typed_op(op, [x], {"axis": 2, "keepdims": 0}), True
        yield f"red_{short}_default_axis", *typed_op(op, [x], opset=11), True
        yield f"red_{short}_ties_first", *typed_op(op, [ties], {"axis": 1}, opset=13), True
        yield f"red_{short}_ties_last", *typed_op(op, [ties], {"axis": 1, "select_last_index": 1}, opset=13), True
        yield f"red_{short}_ties_last_f64", *typed_op(
            op, [ties.T.astype(np.float64)], {"axis": 0, "select_last_index": 1, "keepdims": 0}, opset=12
        ), True
        yield f"red_{short}_int32", *typed_op(op, [ties.astype(np.int32)], {"axis": -1}), True
        yield f"red_{short}_vector", *typed_op(op, [np.array([0.5, 3, -2, 3], np.float32)], {"keepdims": 0}), True


cases = chain(_reductions, _arg, _edges, _random_axes)
