"""Builds one-node ONNX models for the JS engine's conformance corpus (used by the cases_*.py modules)."""

from __future__ import annotations

import numpy as np
from onnx import ModelProto, TensorProto, helper, numpy_helper

RNG = np.random.default_rng(7)


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
