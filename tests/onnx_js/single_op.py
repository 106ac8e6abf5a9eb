"""Builds one-node ONNX models for the JS engine's conformance corpus, and the helpers the cases_*.py modules
share (opsets, inputs, case naming)."""

from __future__ import annotations

import functools

import numpy as np
import onnx
from onnx import ModelProto, TensorProto, helper, numpy_helper

RNG = np.random.default_rng(7)
ML = "ai.onnx.ml"
OPSETS = {"": 17, ML: 3}  # skl2onnx's target opsets for the scikit-learn conversions


def elem(dtype) -> int:
    dtype = np.dtype(dtype)
    return TensorProto.STRING if dtype.kind in "OUS" else helper.np_dtype_to_tensor_dtype(dtype)


def single_op(op: str, inputs: list, outputs: list, opset: int = 17, domain: str = "", **attrs
              ) -> tuple[ModelProto, dict[str, np.ndarray]]:
    """One `op` node. `inputs`: (name, array) pairs fed at run time, (name, array, "init") pairs stored as
    initializers, or None for an omitted optional input. `outputs`: (name, dtype) pairs. Returns the model and
    its feeds."""
    names, feeds, graph_inputs, inits = [], {}, [], []
    for spec in inputs:
        if spec is None:
            names.append("")
            continue
        name, value = spec[0], np.asarray(spec[1])
        names.append(name)
        if len(spec) > 2 and spec[2] == "init":
            inits.append(numpy_helper.from_array(value, name))
        else:
            feeds[name] = value
            graph_inputs.append(helper.make_tensor_value_info(name, elem(value.dtype), list(value.shape)))
    node = helper.make_node(op, names, [o for o, _ in outputs], domain=domain or None, **attrs)
    graph = helper.make_graph([node], op.lower(), graph_inputs,
                              [helper.make_tensor_value_info(o, elem(t), None) for o, t in outputs], inits)
    opsets = [helper.make_opsetid(domain, opset)]
    if domain:
        opsets.append(helper.make_opsetid("", 17))
    model = helper.make_model(graph, opset_imports=opsets, ir_version=10 if opset >= 21 else 8)
    return model, feeds


def floats(*shape, dtype=np.float32) -> np.ndarray:
    return RNG.standard_normal(shape).astype(dtype)


def ints(*shape, low=-50, high=50, dtype=np.int64) -> np.ndarray:
    return RNG.integers(low, high, shape).astype(dtype)


def strings(*shape) -> np.ndarray:
    n = int(np.prod(shape)) if shape else 1
    return np.array([f"s{i}" for i in range(n)], dtype=object).reshape(shape)


def i64(*values) -> np.ndarray:
    return np.array(values, dtype=np.int64)


class Const:
    """An input given as an initializer instead of a feed."""

    def __init__(self, value):
        self.value = np.asarray(value)


def typed_op(op, args, attrs=None, opset=17):
    """single_op's one-node model of `op` on args (np.ndarray: graph input x<i>; Const: an initializer;
    None: an omitted optional input), with its output y0 typed by onnx shape inference. Returns model, feeds."""
    specs = [None if a is None else (f"x{i}", a.value, "init") if isinstance(a, Const) else (f"x{i}", a)
             for i, a in enumerate(args)]
    model, feeds = single_op(op, specs, [("y0", np.float32)], opset=opset, **(attrs or {}))
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    del probe.graph.output[:]
    inferred = {v.name: v.type.tensor_type.elem_type for v in onnx.shape_inference.infer_shapes(probe).graph.value_info}
    model.graph.output[0].type.tensor_type.elem_type = inferred["y0"]
    return model, feeds


def prefixed_case(prefix, name, op, inputs, outputs, opset=17, js=True, **attrs):
    """The case `prefix + name`: single_op's model of `op` and its feeds, and whether the JS engine runs it."""
    model, feeds = single_op(op, inputs, outputs, opset, **attrs)
    return f"{prefix}{name}", model, feeds, js


def case_maker(prefix):
    """prefixed_case for one module's case names, e.g. case_maker("la_")("matmul", "MatMul", ...)."""
    return functools.partial(prefixed_case, prefix)


def y(dtype):
    """One output, y, of `dtype`."""
    return [("y", dtype)]


def chain(*groups):
    """A module's cases(): the cases of each of `groups` (functions yielding cases), in order."""
    def cases():
        for group in groups:
            yield from group()
    return cases
