// Elementwise ai.onnx ops with two or more inputs: arithmetic, Pow, Mod, variadic Sum/Mean/Max/Min,
// comparisons, logic, PRelu and Where, with numpy broadcasting planned by broadcast.ts. Values are computed in
// double and stored once into the output's typed array (a Float32Array store is the single rounding); int64
// lives in Float64Array, so integer results that are not exact in double (division, Pow) are truncated
// explicitly. The one-input ops live in unary.ts; CORE_ELEMENTWISE_OPS holds both.

import { alloc, type ElemType, numeric, type Tensor, UnsupportedError } from "../tensor.ts";
import { broadcastPlan, forEachBlock, type Vec } from "./broadcast.ts";
import { knownAttributes } from "./args.ts";
import { required } from "./misc.ts";
import { CORE_UNARY_OPS, isFloat } from "./unary.ts";
import type { Kernel, NodeContext, OpFactory, OpTable } from "./types.ts";

type Num = Vec<number>;

/** One broadcast block of a binary op: n outputs from oi on, input a from ai advancing by as, b likewise. */
type Block2 = (
  o: Num,
  oi: number,
  n: number,
  a: Num,
  ai: number,
  as: number,
  b: Num,
  bi: number,
  bs: number,
) => void;

function numericInputs(op: string, inputs: (Tensor | undefined)[], count: number): Tensor[] {
  const ts: Tensor[] = [];
  for (let i = 0; i < count; i++) {
    const t = required(inputs[i], op);
    numeric(t, op);
    ts.push(t);
  }
  return ts;
}

function sameType(op: string, ts: Tensor[]): ElemType {
  const type = ts[0].type;
  for (const t of ts) {
    if (t.type !== type) throw new Error(`${op}: inputs of types ${type} and ${t.type}`);
  }
  return type;
}

/** Runs `block` over the broadcast of a and b into a new tensor of `outType`. */
function broadcast2(op: string, a: Tensor, b: Tensor, outType: ElemType, block: Block2): Tensor {
  const plan = broadcastPlan(op, [a.dims, b.dims]);
  const out = alloc(outType, plan.dims);
  const o = out.data as Num, x = a.data as Num, y = b.data as Num;
  const n = plan.inner, sa = plan.steps[0], sb = plan.steps[1];
  forEachBlock(plan, (blk, off) => block(o, blk * n, n, x, off[0], sa, y, off[1], sb));
  return out;
}

// --- binary blocks: one specialised loop per operation ---

const add: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] + b[bi];
};
const sub: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] - b[bi];
};
const mul: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] * b[bi];
};
const div: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] / b[bi];
};
/** Integer division truncates toward zero, as C does. */
const divInt: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) {
    const d = b[bi];
    if (d === 0) throw new Error("integer division by zero");
    o[oi] = Math.trunc(a[ai] / d);
  }
};
const pow: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = Math.pow(a[ai], b[bi]);
};
const powInt: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = Math.trunc(Math.pow(a[ai], b[bi]));
};
const cube: Block2 = (o, oi, n, a, ai, as, _b, _bi, _bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as) o[oi] = a[ai] * a[ai] * a[ai];
};
const cube32: Block2 = (o, oi, n, a, ai, as, _b, _bi, _bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as) o[oi] = Math.fround(a[ai] * a[ai]) * a[ai];
};
const max: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = Math.max(a[ai], b[bi]);
};
const min: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = Math.min(a[ai], b[bi]);
};
/** C fmod (sign of the dividend): JavaScript's % on numbers, exact for doubles. */
const fmod: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] % b[bi];
};
const fmodInt: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) {
    const d = b[bi];
    if (d === 0) throw new Error("integer modulo by zero");
    o[oi] = a[ai] % d;
  }
};
/** Integer Mod with fmod=0: the remainder takes the divisor's sign (Python's %). */
const modInt: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) {
    const d = b[bi];
    if (d === 0) throw new Error("integer modulo by zero");
    const r = a[ai] % d;
    o[oi] = r !== 0 && (r < 0) !== (d < 0) ? r + d : r;
  }
};
const equal: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] === b[bi] ? 1 : 0;
};
const less: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] < b[bi] ? 1 : 0;
};
const lessOrEqual: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] <= b[bi] ? 1 : 0;
};
const greater: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] > b[bi] ? 1 : 0;
};
const greaterOrEqual: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] >= b[bi] ? 1 : 0;
};
const and: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] & b[bi];
};
const or: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] | b[bi];
};
const xor: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] ^ b[bi];
};
const prelu: Block2 = (o, oi, n, a, ai, as, b, bi, bs) => {
  for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] < 0 ? b[bi] * a[ai] : a[ai];
};

/** An op whose two inputs share a type that is also the output's; `pick` chooses the loop by that type. */
function arithmetic(op: string, pick: (type: ElemType) => Block2): Kernel {
  return (inputs) => {
    const [a, b] = numericInputs(op, inputs, 2);
    const type = sameType(op, [a, b]);
    if (type === "bool") throw new UnsupportedError(`${op} on bool tensors`);
    return [broadcast2(op, a, b, type, pick(type))];
  };
}

function comparison(op: string, block: Block2, strings = false): Kernel {
  return (inputs) => {
    const a = required(inputs[0], op), b = required(inputs[1], op);
    if (!strings || a.type !== "string") numeric(a, op);
    sameType(op, [a, b]);
    return [broadcast2(op, a, b, "bool", block)];
  };
}

function logical(op: string, block: Block2): Kernel {
  return (inputs) => {
    const ts = numericInputs(op, inputs, 2);
    for (const t of ts) if (t.type !== "bool") throw new Error(`${op} takes bool tensors, not ${t.type}`);
    return [broadcast2(op, ts[0], ts[1], "bool", block)];
  };
}

/**
 * Sum, Mean, Max, Min over any number of inputs, folded pairwise with broadcasting in the output type, as
 * onnxruntime does (a float32 Sum rounds after each pair, so 1e8 + 1 - 1e8 is 0 there and here).
 */
function variadic(op: string, block: Block2, mean = false): Kernel {
  return (inputs) => {
    if (inputs.length === 0) throw new Error(`${op} needs at least one input`);
    const ts = numericInputs(op, inputs, inputs.length);
    const type = sameType(op, ts);
    if (type === "bool") throw new UnsupportedError(`${op} on bool tensors`);
    let acc = ts[0];
    for (let i = 1; i < ts.length; i++) acc = broadcast2(op, acc, ts[i], type, block);
    if (!mean || ts.length === 1) return [acc];
    // onnxruntime multiplies by the reciprocal of the count, itself rounded to the type.
    const d = acc.data as Num, inv = type === "float32" ? Math.fround(1 / ts.length) : 1 / ts.length;
    for (let i = 0; i < d.length; i++) d[i] = d[i] * inv;
    return [acc];
  };
}

const integral = (t: ElemType) => !isFloat(t);

function modKernel({ attrs }: NodeContext): Kernel {
  const f = attrs.int("fmod", 0);
  if (f !== 0 && f !== 1) throw new UnsupportedError(`Mod: fmod must be 0 or 1, not ${f}`);
  return arithmetic("Mod", (type) => {
    if (isFloat(type)) {
      if (f === 0) throw new Error("Mod: fmod must be 1 for floating point inputs");
      return fmod;
    }
    return f === 1 ? fmodInt : modInt;
  });
}

/** Pow: the output has the base's type; the exponent may be of another numeric type. */
const powKernel: Kernel = (inputs) => {
  const [a, b] = numericInputs("Pow", inputs, 2);
  if (a.type === "bool" || b.type === "bool") throw new UnsupportedError("Pow on bool tensors");
  // onnxruntime cubes by two multiplications when the exponent is the scalar 3 (in float32, the square rounds).
  if (b.data.length === 1 && b.data[0] === 3) {
    return [broadcast2("Pow", a, b, a.type, a.type === "float32" ? cube32 : cube)];
  }
  return [broadcast2("Pow", a, b, a.type, integral(a.type) ? powInt : pow)];
};

/** PRelu(X, slope): the slope broadcasts one way, onto X's shape. */
const preluKernel: Kernel = (inputs) => {
  const [x, slope] = numericInputs("PRelu", inputs, 2);
  if (x.type === "bool") throw new UnsupportedError("PRelu on bool tensors");
  sameType("PRelu", [x, slope]);
  const out = broadcast2("PRelu", x, slope, x.type, prelu);
  if (out.dims.join() !== x.dims.join()) {
    throw new Error(
      `PRelu: slope of shape [${slope.dims.join(",")}] does not broadcast to [${x.dims.join(",")}]`,
    );
  }
  return [out];
};

/** Where(condition, X, Y): picks from X or Y by a broadcast bool condition; any element type, strings too. */
const whereKernel: Kernel = (inputs) => {
  const c = required(inputs[0], "Where"), x = required(inputs[1], "Where"), y = required(inputs[2], "Where");
  if (c.type !== "bool") throw new Error(`Where: condition is ${c.type}, not bool`);
  sameType("Where", [x, y]);
  const plan = broadcastPlan("Where", [c.dims, x.dims, y.dims]);
  const out = alloc(x.type, plan.dims);
  const o = out.data as Vec<unknown>,
    cv = c.data as Num,
    xv = x.data as Vec<unknown>,
    yv = y.data as Vec<unknown>;
  const n = plan.inner, sc = plan.steps[0], sx = plan.steps[1], sy = plan.steps[2];
  forEachBlock(plan, (blk, off) => {
    let ci = off[0], xi = off[1], yi = off[2];
    for (let oi = blk * n, end = oi + n; oi < end; oi++, ci += sc, xi += sx, yi += sy) {
      o[oi] = cv[ci] ? xv[xi] : yv[yi];
    }
  });
  return [out];
};

/**
 * Before opset 7 these ops broadcast only B onto A, aligned at an `axis` attribute; onnxruntime runs none of
 * those versions, and numpy broadcasting would compute something else, so they are refused.
 */
function numpyBroadcasting(op: string, kernel: (ctx: NodeContext) => Kernel): OpFactory {
  return (ctx) => {
    if (ctx.opset < 7) {
      throw new UnsupportedError(`${op} of opset ${ctx.opset} (legacy broadcast attributes)`);
    }
    return kernel(ctx);
  };
}

const BROADCASTING_OPS: OpTable = {
  Add: numpyBroadcasting("Add", () => arithmetic("Add", () => add)),
  Sub: numpyBroadcasting("Sub", () => arithmetic("Sub", () => sub)),
  Mul: numpyBroadcasting("Mul", () => arithmetic("Mul", () => mul)),
  Div: numpyBroadcasting("Div", () => arithmetic("Div", (t) => (integral(t) ? divInt : div))),
  Pow: numpyBroadcasting("Pow", () => powKernel),
  Mod: modKernel,
  Max: () => variadic("Max", max),
  Min: () => variadic("Min", min),
  Sum: () => variadic("Sum", add),
  Mean: () => variadic("Mean", add, true),
  Equal: numpyBroadcasting("Equal", () => comparison("Equal", equal, true)),
  Less: numpyBroadcasting("Less", () => comparison("Less", less)),
  LessOrEqual: () => comparison("LessOrEqual", lessOrEqual),
  Greater: numpyBroadcasting("Greater", () => comparison("Greater", greater)),
  GreaterOrEqual: () => comparison("GreaterOrEqual", greaterOrEqual),
  And: numpyBroadcasting("And", () => logical("And", and)),
  Or: numpyBroadcasting("Or", () => logical("Or", or)),
  Xor: numpyBroadcasting("Xor", () => logical("Xor", xor)),
  Where: () => whereKernel,
  PRelu: () => preluKernel,
};

export const CORE_ELEMENTWISE_OPS: OpTable = {
  // Mod's fmod is the only attribute these ops read; any other refuses the model (see knownAttributes).
  ...Object.fromEntries(
    Object.entries(BROADCASTING_OPS).map(([op, f]) => [op, knownAttributes(op === "Mod" ? ["fmod"] : [], f)]),
  ),
  ...CORE_UNARY_OPS,
};
