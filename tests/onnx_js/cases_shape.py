"""Single-op cases for the JS engine's shape ops (shape.ts): every op, its opset variants, several shapes and
element types (strings and bools included), and the modes the engine refuses."""

from __future__ import annotations

import numpy as np
from onnx import helper
from single_op import case_maker, chain, floats, i64, ints, strings, y

F32, F64, I64, I32, STR, BOOL = np.float32, np.float64, np.int64, np.int32, object, np.bool_
BIG = np.iinfo(np.int64).max
case = case_maker("sh_")


def reshape_cases():
    x = floats(2, 3, 4)
    yield case("reshape_infer", "Reshape", [("x", x), ("s", i64(4, -1))], y(F32), 13)
    yield case("reshape_copy0", "Reshape", [("x", x), ("s", i64(0, -1), "init")], y(F32), 13)
    yield case("reshape_batch1", "Reshape", [("x", floats(1, 12)), ("s", i64(-1, 3, 2, 2))], y(F32), 13)
    yield case("reshape_batch100_i64", "Reshape", [("x", ints(100, 6)), ("s", i64(100, 2, 3))], y(I64), 13)
    yield case("reshape_string", "Reshape", [("x", strings(2, 6)), ("s", i64(3, 4))], y(STR), 13)
    yield case("reshape_allowzero", "Reshape", [("x", floats(0, 4)), ("s", i64(4, 0))], y(F32), 14, allowzero=1)
    yield case("reshape_zero_copies_14", "Reshape", [("x", floats(3, 4)), ("s", i64(0, 2, 2))], y(F32), 14)
    yield case("reshape_opset1_attr", "Reshape", [("x", x)], y(F32), 1, shape=[4, 0, -1])
    yield case("reshape_opset5_f64", "Reshape", [("x", floats(4, 3, dtype=F64)), ("s", i64(-1))], y(F64), 5)


def flatten_cases():
    x = floats(2, 3, 4, 5)
    for axis in (0, 1, 2, 4, -1):
        yield case(f"flatten_axis{axis}", "Flatten", [("x", x)], y(F32), 13, axis=axis)
    yield case("flatten_default_9", "Flatten", [("x", floats(100, 3, 2))], y(F32), 9)
    yield case("flatten_string", "Flatten", [("x", strings(2, 2, 3))], y(STR), 13, axis=2)


def transpose_cases():
    yield case("transpose_default2", "Transpose", [("x", floats(100, 7))], y(F32), 13)
    yield case("transpose_default3", "Transpose", [("x", ints(2, 3, 4))], y(I64), 13)
    yield case("transpose_perm3", "Transpose", [("x", floats(2, 3, 4))], y(F32), 13, perm=[0, 2, 1])
    yield case("transpose_perm4", "Transpose", [("x", floats(2, 3, 4, 5, dtype=F64))], y(F64), 1, perm=[2, 0, 3, 1])
    yield case("transpose_string", "Transpose", [("x", strings(3, 2))], y(STR), 13)
    yield case("transpose_i32", "Transpose", [("x", ints(3, 1, 2, dtype=I32))], y(I32), 13, perm=[1, 2, 0])
    yield case("transpose_bool", "Transpose", [("x", ints(2, 3, low=0, high=2).astype(BOOL))], y(BOOL), 13)
    yield case("transpose_rank1", "Transpose", [("x", floats(5))], y(F32), 13)


def squeeze_cases():
    x = floats(1, 3, 1, 2)
    yield case("squeeze_all_11", "Squeeze", [("x", x)], y(F32), 11)
    yield case("squeeze_attr_11", "Squeeze", [("x", x)], y(F32), 11, axes=[0, -2])
    yield case("squeeze_input_13", "Squeeze", [("x", x), ("a", i64(2))], y(F32), 13)
    yield case("squeeze_all_13", "Squeeze", [("x", strings(1, 4, 1))], y(STR), 13)
    yield case("squeeze_empty_axes", "Squeeze", [("x", x), ("a", np.array([], I64))], y(F32), 13)
    yield case("squeeze_bool", "Squeeze", [("x", np.array([[True], [False]]))], y(BOOL), 13)
    yield case("squeeze_batch1", "Squeeze", [("x", floats(1, 1)), ("a", i64(-1), "init")], y(F32), 13)
    yield case("unsqueeze_attr_11", "Unsqueeze", [("x", floats(3, 2))], y(F32), 11, axes=[0, -1])
    yield case("unsqueeze_attr_1", "Unsqueeze", [("x", ints(3))], y(I64), 1, axes=[1])
    yield case("unsqueeze_input_13", "Unsqueeze", [("x", floats(3, 2)), ("a", i64(1, 3))], y(F32), 13)
    yield case("unsqueeze_scalar", "Unsqueeze", [("x", np.array(2.5, F32)), ("a", i64(0))], y(F32), 13)
    yield case("unsqueeze_string", "Unsqueeze", [("x", strings(2)), ("a", i64(-1))], y(STR), 13)


def concat_cases():
    a, b, c = floats(2, 3), floats(4, 3), floats(1, 3)
    yield case("concat_axis0", "Concat", [("a", a), ("b", b), ("c", c)], y(F32), 13, axis=0)
    yield case("concat_axis1", "Concat", [("a", floats(2, 1, 3)), ("b", floats(2, 4, 3))], y(F32), 13, axis=1)
    yield case("concat_neg", "Concat", [("a", ints(100, 2)), ("b", ints(100, 5))], y(I64), 11, axis=-1)
    yield case("concat_string", "Concat", [("a", strings(2, 2)), ("b", strings(2, 1))], y(STR), 13, axis=1)
    yield case("concat_bool", "Concat", [("a", np.array([[True, False]])), ("b", np.array([[False, False]]))],
               y(BOOL), 13, axis=0)
    yield case("concat_empty", "Concat", [("a", floats(0, 3)), ("b", floats(2, 3))], y(F32), 13, axis=0)
    yield case("concat_1d_4", "Concat", [("a", floats(3, dtype=F64)), ("b", floats(2, dtype=F64))], y(F64), 4, axis=0)


def split_cases():
    x = floats(6, 4)
    outs3 = [("a", F32), ("b", F32), ("c", F32)]
    yield case("split_equal_11", "Split", [("x", x)], outs3, 11)
    yield case("split_attr_11", "Split", [("x", x)], outs3[:2], 11, axis=1, split=[3, 1])
    yield case("split_attr_2", "Split", [("x", x)], outs3, 2, split=[1, 2, 3])
    yield case("split_input_13", "Split", [("x", x), ("s", i64(2, 4))], outs3[:2], 13)
    yield case("split_neg_13", "Split", [("x", floats(2, 3, 4))], outs3[:2], 13, axis=-1)
    yield case("split_num_outputs_18", "Split", [("x", floats(7, 2))], outs3, 18, num_outputs=3)
    yield case("split_num_outputs_even_18", "Split", [("x", floats(3, 6))], outs3, 18, axis=1, num_outputs=3)
    yield case("split_empty_input_13", "Split", [("x", x), ("s", np.array([], I64))], outs3[:2], 13)
    yield case("split_u8", "Split", [("x", ints(4, 3, low=0, high=255, dtype=np.uint8))],
               [("a", np.uint8), ("b", np.uint8)], 13)
    yield case("split_string", "Split", [("x", strings(4, 2))], [("a", STR), ("b", STR)], 13)


def slice_cases():
    x = floats(5, 6, 4)
    yield case("slice_opset1", "Slice", [("x", x)], y(F32), 1, starts=[1, 0], ends=[3, BIG], axes=[0, 2])
    yield case("slice_opset1_noaxes", "Slice", [("x", x)], y(F32), 9, starts=[-2, 1], ends=[100, -1])
    yield case("slice_basic_13", "Slice",
               [("x", x), ("s", i64(1, 2)), ("e", i64(4, 5)), ("a", i64(0, 1))], y(F32), 13)
    yield case("slice_steps", "Slice",
               [("x", x), ("s", i64(0, 5)), ("e", i64(BIG, -BIG)), ("a", i64(1, 0)), ("p", i64(2, -2))], y(F32), 13)
    yield case("slice_neg_step_clamp", "Slice",
               [("x", ints(10)), ("s", i64(100)), ("e", i64(-100)), None, ("p", i64(-3))], y(I64), 13)
    yield case("slice_neg_axes", "Slice", [("x", x), ("s", i64(-3)), ("e", i64(-1)), ("a", i64(-1))], y(F32), 13)
    yield case("slice_empty", "Slice", [("x", x), ("s", i64(3)), ("e", i64(1)), ("a", i64(0))], y(F32), 13)
    yield case("slice_i32", "Slice",
               [("x", floats(100, 8)), ("s", np.array([2], I32)), ("e", np.array([6], I32)),
                ("a", np.array([1], I32))], y(F32), 13)
    yield case("slice_string", "Slice",
               [("x", strings(4, 3)), ("s", i64(3, 0)), ("e", i64(0, 2)), ("a", i64(0, 1)), ("p", i64(-1, 1))],
               y(STR), 13)
    yield case("slice_rank4_10", "Slice",
               [("x", floats(2, 3, 4, 5)), ("s", i64(1, 1)), ("e", i64(3, 4)), ("a", i64(1, 3))], y(F32), 10)


def gather_cases():
    x = floats(5, 4, 3)
    yield case("gather_axis0", "Gather", [("x", x), ("i", i64(4, 0, -1, 2))], y(F32), 13)
    yield case("gather_axis1_2d", "Gather", [("x", x), ("i", np.array([[0, 3], [-2, 1]], I64))], y(F32), 13, axis=1)
    yield case("gather_scalar", "Gather", [("x", x), ("i", np.array(-1, I64))], y(F32), 13, axis=2)
    yield case("gather_i32", "Gather", [("x", ints(100, 3)), ("i", np.array([2, 0], I32))], y(I64), 11, axis=1)
    # Strings along the last axis only: onnxruntime 1.31 blanks all but the first string of a gathered row,
    # and the engine refuses that at run time instead of differing from it.
    yield case("gather_string", "Gather", [("x", strings(3, 2)), ("i", np.array([[1, 0], [1, 1]], I64))], y(STR),
               13, axis=1)
    yield case("gather_u8", "Gather", [("x", ints(4, 2, low=0, high=255, dtype=np.uint8)), ("i", i64(-4, 3))],
               y(np.uint8), 13)
    yield case("gather_1", "Gather", [("x", floats(6, dtype=F64)), ("i", i64(5, 1))], y(F64), 1)
    ge = floats(3, 4)
    yield case("gatherel_axis0", "GatherElements",
               [("x", ge), ("i", np.array([[0, 2, 1, 0], [2, -1, 0, 1]], I64))], y(F32), 13)
    yield case("gatherel_axis1", "GatherElements",
               [("x", ge), ("i", np.array([[3, 0], [1, 1], [-4, 2]], I64))], y(F32), 13, axis=1)
    yield case("gatherel_rank3", "GatherElements",
               [("x", ints(2, 3, 4)), ("i", ints(2, 3, 2, low=0, high=4))], y(I64), 11, axis=-1)
    yield case("gatherel_string", "GatherElements", [("x", strings(2, 2)), ("i", np.array([[1, 0]], I64))],
               y(STR), 13)


def shape_cases():
    x = floats(2, 3, 4, 5)
    yield case("shape_13", "Shape", [("x", x)], y(I64), 13)
    yield case("shape_start", "Shape", [("x", x)], y(I64), 15, start=1)
    yield case("shape_start_end", "Shape", [("x", x)], y(I64), 15, start=-3, end=-1)
    yield case("shape_clamped", "Shape", [("x", strings(2, 3))], y(I64), 15, start=-10, end=10)
    yield case("size", "Size", [("x", x)], y(I64), 13)
    yield case("size_string", "Size", [("x", strings(3, 0))], y(I64), 13)
    yield case("cos_default", "ConstantOfShape", [("s", i64(2, 3))], y(F32), 9)
    yield case("cos_int64", "ConstantOfShape", [("s", i64(4))], y(I64), 20,
               value=helper.make_tensor("v", 7, [1], [-3]))
    yield case("cos_scalar", "ConstantOfShape", [("s", np.array([], I64))], y(F32), 9)
    yield case("cos_bool", "ConstantOfShape", [("s", i64(2, 2))], y(BOOL), 20, value=helper.make_tensor("v", 9, [1], [1]))
    yield case("cos_float", "ConstantOfShape", [("s", i64(100, 1))], y(F64), 9,
               value=helper.make_tensor("v", 11, [1], [0.25]))


def expand_tile_cases():
    yield case("expand_bidir", "Expand", [("x", floats(3, 1)), ("s", i64(2, 1, 4))], y(F32), 13)
    yield case("expand_smaller", "Expand", [("x", floats(2, 1)), ("s", i64(4))], y(F32), 13)
    yield case("expand_same", "Expand", [("x", ints(100, 3)), ("s", i64(1, 1))], y(I64), 8)
    yield case("expand_string", "Expand", [("x", strings(1, 3)), ("s", i64(2, 1))], y(STR), 13)
    yield case("tile_2d", "Tile", [("x", floats(2, 3)), ("r", i64(2, 1))], y(F32), 13)
    yield case("tile_3d", "Tile", [("x", ints(2, 1, 3)), ("r", i64(1, 3, 2))], y(I64), 6)
    yield case("tile_string", "Tile", [("x", strings(2)), ("r", i64(3))], y(STR), 13)
    yield case("tile_zero", "Tile", [("x", floats(2, 3)), ("r", i64(0, 2))], y(F32), 13)


def pad_cases():
    x = floats(3, 4)
    yield case("pad_const_11", "Pad", [("x", x), ("p", i64(1, 0, 2, 3)), ("v", np.array(1.5, F32))], y(F32), 11)
    yield case("pad_zero_13", "Pad", [("x", ints(2, 3, 2)), ("p", i64(0, 1, 1, 1, 0, 2))], y(I64), 13)
    yield case("pad_crop", "Pad", [("x", x), ("p", i64(-1, 2, 1, -2))], y(F32), 13)
    yield case("pad_attr_2", "Pad", [("x", floats(2, 2, dtype=F64))], y(F64), 2, pads=[1, 1, 0, 2], value=-7.0)
    yield case("pad_axes_18", "Pad", [("x", floats(2, 3, 4)), ("p", i64(1, 2)), ("v", np.array(9.0, F32)),
                                      ("a", i64(-1))], y(F32), 18)
    yield case("pad_reflect_refused", "Pad", [("x", x), ("p", i64(1, 1, 1, 1))], y(F32), 13, js=False,
               mode="reflect")
    yield case("pad_wrap_refused", "Pad", [("x", x), ("p", i64(1, 1, 1, 1))], y(F32), 19, js=False, mode="wrap")
    yield case("pad_edge_refused", "Pad", [("x", x)], y(F32), 2, js=False, mode="edge", pads=[0, 1, 0, 1])


def range_nonzero_cases():
    yield case("range_f32", "Range",
               [("a", np.array(-1, F32)), ("b", np.array(1, F32)), ("d", np.array(0.1, F32))], y(F32), 11)
    yield case("range_i64_neg", "Range", [("a", np.array(10, I64)), ("b", np.array(-3, I64)),
                                          ("d", np.array(-3, I64))], y(I64), 11)
    yield case("range_empty", "Range", [("a", np.array(5, I32)), ("b", np.array(1, I32)),
                                        ("d", np.array(2, I32))], y(I32), 11)
    yield case("range_f64", "Range", [("a", np.array(0.5, F64)), ("b", np.array(7.2, F64)),
                                      ("d", np.array(0.7, F64))], y(F64), 11)
    yield case("nonzero_scalar", "NonZero", [("x", np.array(3.0, F32))], y(I64), 13)
    yield case("nonzero_scalar_zero", "NonZero", [("x", np.array(0, I64))], y(I64), 13)
    yield case("flatten_scalar", "Flatten", [("x", np.array(3.0, F32))], y(F32), 13, axis=0)
    yield case("nonzero_2d", "NonZero", [("x", np.array([[0, 1.5, 0], [2, 0, -1]], F32))], y(I64), 13)
    yield case("nonzero_bool", "NonZero", [("x", np.array([True, False, True, True]))], y(I64), 9)
    yield case("nonzero_i64_3d", "NonZero", [("x", ints(2, 3, 4, low=-1, high=2))], y(I64), 13)


def newest_opset_cases():
    # Opsets 21-24 only widen the types (float8, int4, ...); the semantics stay those tested above.
    x = floats(2, 3, 4)
    yield case("reshape_24", "Reshape", [("x", x), ("s", i64(4, -1))], y(F32), 24)
    yield case("transpose_24", "Transpose", [("x", x)], y(F32), 24, perm=[2, 0, 1])
    yield case("squeeze_24", "Squeeze", [("x", floats(1, 3, 1)), ("a", i64(-1))], y(F32), 24)
    yield case("unsqueeze_24", "Unsqueeze", [("x", floats(3)), ("a", i64(0, 2))], y(F32), 24)
    yield case("flatten_24", "Flatten", [("x", x)], y(F32), 24, axis=2)
    yield case("shape_24", "Shape", [("x", x)], y(I64), 24, start=1)
    yield case("size_24", "Size", [("x", x)], y(I64), 24)
    yield case("pad_24", "Pad", [("x", floats(2, 3)), ("p", i64(0, 1, 2, 0)), ("v", np.array(4.0, F32))], y(F32), 24)
    yield case("cos_24", "ConstantOfShape", [("s", i64(2, 2))], y(I64), 24,
               value=helper.make_tensor("v", 7, [1], [5]))


cases = chain(reshape_cases, flatten_cases, transpose_cases, squeeze_cases, concat_cases, split_cases,
              slice_cases, gather_cases, shape_cases, expand_tile_cases, pad_cases, range_nonzero_cases,
              newest_opset_cases)
