"""Cases for the JS engine's ops with subgraphs (control.ts): scikit-learn's KNeighbors models, whose distances
skl2onnx computes in a Scan over the training rows, and hand-built Scan graphs for state variables, scan
outputs, several scan inputs, axes, directions and values read from the enclosing graph, plus the Scan
variants the engine refuses."""

from __future__ import annotations

import warnings

import numpy as np
from onnx import TensorProto, helper, numpy_helper
from single_op import OPSETS, chain
from skl2onnx import to_onnx
from sklearn.datasets import load_diabetes, load_iris
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

F32, F64, I64 = np.float32, np.float64, np.int64
FLOAT, INT64 = TensorProto.FLOAT, TensorProto.INT64
# This module's own generator: single_op's shared one would shift the data of every module built after it.
RNG = np.random.default_rng(23)


def floats(*shape):
    return RNG.standard_normal(shape).astype(F32)


def ints(*shape):
    return RNG.integers(-50, 50, shape).astype(I64)


def knn_cases():
    warnings.filterwarnings("ignore")
    Xi, yi = load_iris(return_X_y=True)
    Xd, yd = load_diabetes(return_X_y=True)
    Xi, Xd = Xi.astype(F32), Xd.astype(F32)
    rng = np.random.default_rng(11)
    # Training rows (iris repeats some, so distances tie exactly) and rows between them.
    iris_rows = np.r_[Xi[::3], (Xi[1::3] + rng.normal(0, 0.05, Xi[1::3].shape)).astype(F32)][:100]
    diabetes_rows = np.r_[Xd[::9], (Xd[1::9] + rng.normal(0, 0.01, Xd[1::9].shape)).astype(F32)][:100]
    for weights in ["uniform", "distance"]:
        for k in [1, 3, 5]:
            clf = KNeighborsClassifier(n_neighbors=k, weights=weights).fit(Xi, yi)
            onx = to_onnx(clf, Xi[:1], target_opset=OPSETS)
            yield f"ct_knn_classifier_{weights}_k{k}", onx, {"X": iris_rows}, True
            yield f"ct_knn_classifier_{weights}_k{k}_batch1", onx, {"X": iris_rows[7:8]}, True
            plain = to_onnx(clf, Xi[:1], target_opset=OPSETS, options={id(clf): {"zipmap": False}})
            yield f"ct_knn_classifier_{weights}_k{k}_nozipmap", plain, {"X": iris_rows}, True
            reg = KNeighborsRegressor(n_neighbors=k, weights=weights).fit(Xd, yd)
            onx = to_onnx(reg, Xd[:1], target_opset=OPSETS)
            yield f"ct_knn_regressor_{weights}_k{k}", onx, {"X": diabetes_rows}, True
            yield f"ct_knn_regressor_{weights}_k{k}_batch1", onx, {"X": diabetes_rows[3:4]}, True
    # String labels, and doubles end to end (skl2onnx keeps float64 when fed float64; ZipMap takes float32 only).
    names = np.array(["setosa", "versicolor", "virginica"])[yi]
    clf = KNeighborsClassifier(n_neighbors=5).fit(Xi, names)
    yield "ct_knn_classifier_strings", to_onnx(clf, Xi[:1], target_opset=OPSETS), {"X": iris_rows}, True
    Xi64 = Xi.astype(F64)
    clf64 = KNeighborsClassifier(n_neighbors=3, weights="distance").fit(Xi64, yi)
    onx64 = to_onnx(clf64, Xi64[:1], target_opset=OPSETS, options={id(clf64): {"zipmap": False}})
    yield "ct_knn_classifier_f64", onx64, {"X": iris_rows.astype(F64)}, True
    reg2 = KNeighborsRegressor(n_neighbors=4).fit(Xi, np.c_[yi, Xi[:, 0]])
    yield "ct_knn_regressor_two_targets", to_onnx(reg2, Xi[:1], target_opset=OPSETS), {"X": iris_rows}, True


def value(name, elem, rank=None):
    """A tensor value; onnxruntime wants a Scan body's outputs to have a rank, so they give one."""
    return helper.make_tensor_value_info(name, elem, None if rank is None else [None] * rank)


def scan_model(name, body_nodes, body_in, body_out, inputs, outputs, feeds, opset=17, inits=(), body_inits=(),
               outer_nodes=(), **attrs):
    """A model of one Scan node (after `outer_nodes`) over the graph inputs `inputs` ((name, elem) pairs, fed
    `feeds`); `body_in` are (name, elem) pairs of the body's inputs, `body_out` (name, elem, rank) of its outputs."""
    body = helper.make_graph(body_nodes, f"{name}_body", [value(n, e) for n, e in body_in],
                             [value(*o) for o in body_out], list(body_inits))
    scan = helper.make_node("Scan", [n for n, _ in inputs], [n for n, _ in outputs], body=body, **attrs)
    graph = helper.make_graph([*outer_nodes, scan], name, [value(n, e) for n, e in inputs if n in feeds],
                              [value(n, e) for n, e in outputs], list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)
    return model, feeds


def scan_cases():
    x = floats(6, 3)
    s0 = floats(3)
    # A running sum as the state, and each step's sum (doubled) as the scan output.
    running = [helper.make_node("Add", ["s", "x_t"], ["s_next"]),
               helper.make_node("Add", ["s_next", "s_next"], ["y_t"])]
    body_in = [("s", FLOAT), ("x_t", FLOAT)]
    body_out = [("s_next", FLOAT, 1), ("y_t", FLOAT, 1)]
    io = dict(inputs=[("s0", FLOAT), ("x", FLOAT)], outputs=[("s_final", FLOAT), ("ys", FLOAT)])
    for opset in [9, 11, 16, 21]:
        yield f"ct_scan_state_and_output_{opset}", *scan_model("run", running, body_in, body_out, **io,
                                                                feeds={"s0": s0, "x": x}, opset=opset,
                                                                num_scan_inputs=1), True
    yield "ct_scan_reverse_input", *scan_model("rev", running, body_in, body_out, **io, feeds={"s0": s0, "x": x},
                                               num_scan_inputs=1, scan_input_directions=[1]), True
    yield "ct_scan_reverse_output", *scan_model("revo", running, body_in, body_out, **io, feeds={"s0": s0, "x": x},
                                                num_scan_inputs=1, scan_output_directions=[1]), True
    yield "ct_scan_input_axis1", *scan_model("ax1", running, body_in, body_out, **io,
                                             feeds={"s0": floats(6), "x": floats(6, 4)}, num_scan_inputs=1,
                                             scan_input_axes=[1]), True
    rank2 = [("s_next", FLOAT, 2), ("y_t", FLOAT, 2)]
    yield "ct_scan_output_axis1", *scan_model("oax1", running, body_in, rank2, **io,
                                              feeds={"s0": floats(2, 3), "x": floats(5, 2, 3)}, num_scan_inputs=1,
                                              scan_output_axes=[1], scan_output_directions=[1]), True
    for opset in [9, 11]:  # negative axes are opset 11's, but onnxruntime takes them from 9
        yield f"ct_scan_negative_axes_{opset}", *scan_model(
            "neg", running, body_in, rank2, **io, feeds={"s0": floats(4, 2), "x": floats(4, 3, 2)}, opset=opset,
            num_scan_inputs=1, scan_input_axes=[-2], scan_output_axes=[-1], scan_input_directions=[1]), True
    # Two scan inputs on different axes, two states (one int64), two scan outputs, a body initializer.
    nodes = [
        helper.make_node("Mul", ["a_t", "b_t"], ["ab"]),
        helper.make_node("Add", ["s", "ab"], ["s_next"]),
        helper.make_node("Add", ["count", "one"], ["count_next"]),
        helper.make_node("ReduceSum", ["ab"], ["total"], keepdims=0),
        helper.make_node("Cast", ["count_next"], ["count_f"], to=FLOAT),
        helper.make_node("Mul", ["total", "count_f"], ["weighted"]),
    ]
    yield "ct_scan_two_inputs", *scan_model(
        "two", nodes, [("s", FLOAT), ("count", INT64), ("a_t", FLOAT), ("b_t", FLOAT)],
        [("s_next", FLOAT, 1), ("count_next", INT64, 0), ("weighted", FLOAT, 0), ("ab", FLOAT, 1)],
        [("s0", FLOAT), ("c0", INT64), ("a", FLOAT), ("b", FLOAT)],
        [("s_final", FLOAT), ("c_final", INT64), ("ws", FLOAT), ("abs", FLOAT)],
        {"s0": floats(4), "c0": np.array(10, I64), "a": floats(7, 4), "b": floats(4, 7)},
        body_inits=[numpy_helper.from_array(np.array(2, I64), "one")], num_scan_inputs=2,
        scan_input_axes=[0, 1], scan_input_directions=[0, 1], scan_output_directions=[1, 0]), True
    # No state at all, and a state only (no scan output); int64 scan input.
    yield "ct_scan_no_state", *scan_model(
        "nostate", [helper.make_node("Neg", ["x_t"], ["y_t"])], [("x_t", INT64)], [("y_t", INT64, 1)],
        [("x", INT64)], [("ys", INT64)], {"x": ints(5, 2)}, num_scan_inputs=1), True
    yield "ct_scan_state_only", *scan_model(
        "stateonly", [helper.make_node("Max", ["s", "x_t"], ["s_next"])], [("s", FLOAT), ("x_t", FLOAT)],
        [("s_next", FLOAT, 1)], [("s0", FLOAT), ("x", FLOAT)], [("m", FLOAT)], {"s0": floats(3), "x": floats(9, 3)},
        num_scan_inputs=1), True
    # The body reads an initializer and a node output of the enclosing graph, and the graph's input itself.
    w = floats(3, 3)
    outer = [helper.make_node("Abs", ["x"], ["x_abs"])]
    body = [helper.make_node("MatMul", ["x_t", "W"], ["xw"]), helper.make_node("Add", ["xw", "x_abs"], ["y_t"]),
            helper.make_node("Add", ["s", "x_t"], ["s_next"])]
    yield "ct_scan_outer_scope", *scan_model(
        "outer", body, body_in, [("s_next", FLOAT, 1), ("y_t", FLOAT, 2)], **io, feeds={"s0": s0, "x": x},
        inits=[numpy_helper.from_array(w, "W")], outer_nodes=outer, num_scan_inputs=1), True
    # A Scan in a Scan: the inner body reads the outer body's state and the outer graph's initializer.
    inner_body = helper.make_graph(
        [helper.make_node("Mul", ["u_t", "s"], ["p"]), helper.make_node("Add", ["p", "W"], ["v_t"])], "inner",
        [value("u_t", FLOAT)], [value("v_t", FLOAT, 1)])
    nested = [helper.make_node("Scan", ["x_t"], ["vs"], body=inner_body, num_scan_inputs=1),
              helper.make_node("ReduceSum", ["vs"], ["red"], keepdims=0, axes=[0]),
              helper.make_node("Add", ["s", "red"], ["s_next"]),
              helper.make_node("Identity", ["vs"], ["y_t"])]
    yield "ct_scan_nested", *scan_model(
        "nested", nested, body_in, [("s_next", FLOAT, 1), ("y_t", FLOAT, 2)], **io,
        feeds={"s0": s0, "x": floats(4, 5, 3)},
        inits=[numpy_helper.from_array(floats(3), "W")], opset=11, num_scan_inputs=1), True
    # KNeighbors' squared distances as skl2onnx writes them, on their own: the training rows are the scan
    # input. "_f32steps_": onnx_js_scan_test.ts wants them bit for bit (TopK ranks neighbours on the last bit).
    dist = [helper.make_node("Identity", ["q"], ["q_next"]), helper.make_node("Sub", ["q", "row"], ["d"]),
            helper.make_node("ReduceSumSquare", ["d"], ["dd"], axes=[1], keepdims=0)]
    Xi = load_iris().data.astype(F32)
    Xd = load_diabetes().data.astype(F32)
    for data, train, queries in [("random", floats(40, 5), floats(30, 5)), ("iris", Xi, Xi[::2] + F32(0.01)),
                                 ("diabetes", Xd, Xd[::4] * F32(1.1))]:
        yield f"ct_scan_f32steps_distances_{data}", *scan_model(
            "dist", dist, [("q", FLOAT), ("row", FLOAT)], [("q_next", FLOAT, 2), ("dd", FLOAT, 1)],
            [("X", FLOAT), ("T", FLOAT)], [("q_final", FLOAT), ("D", FLOAT)], {"X": queries},
            inits=[numpy_helper.from_array(train, "T")], num_scan_inputs=1), True
    # Refused: opset 8's Scan (batch axis, sequence_lens input), and a body op the engine lacks.
    s8 = scan_model("s8", running, body_in, body_out, inputs=[("", FLOAT), ("s0", FLOAT), ("x", FLOAT)],
                    outputs=io["outputs"], feeds={"s0": floats(2, 3), "x": floats(2, 4, 3)}, opset=8,
                    num_scan_inputs=1)
    yield "ct_scan_opset8_refused", *s8, False
    einsum = [helper.make_node("Einsum", ["s", "x_t"], ["dot"], equation="i,i->i"),
              helper.make_node("Add", ["s", "x_t"], ["s_next"]), helper.make_node("Identity", ["dot"], ["y_t"])]
    yield "ct_scan_body_op_refused", *scan_model(
        "ein", einsum, body_in, body_out, **io, feeds={"s0": s0, "x": x}, opset=12, num_scan_inputs=1), False


cases = chain(knn_cases, scan_cases)
