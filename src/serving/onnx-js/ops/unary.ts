// One-input elementwise ai.onnx ops: math (Exp, Log, Sqrt, Erf, trigonometry, rounding, ...), activations
// (Relu, Sigmoid, Tanh, LeakyRelu, Elu, Selu, Gelu, ...), Not, IsNaN/IsInf and Clip. Each op writes its own loop
// over the whole tensor; attributes are read once, in the factory. Values are computed in double and stored
// once into the output's typed array.

import { alloc, type ElemType, numeric, type Tensor, UnsupportedError } from "../tensor.ts";
import type { Vec } from "./broadcast.ts";
import { knownAttributes } from "./args.ts";
import { required } from "./misc.ts";
import { mlasLogistic } from "./ml-scores.ts";
import type { Kernel, NodeContext, OpTable } from "./types.ts";

type Num = Vec<number>;

const FLOAT_TYPES: ReadonlySet<ElemType> = new Set(["float32", "float64"]);
export const isFloat = (t: ElemType) => FLOAT_TYPES.has(t);

/** A unary loop over the whole tensor: o[i] = f(x[i]), written out per op. */
type Loop1 = (o: Num, x: Num) => void;

function unary(
  op: string,
  loop: Loop1,
  opts: { out?: "bool"; floatOnly?: boolean; boolIn?: boolean } = {},
): Kernel {
  return (inputs) => {
    const x = required(inputs[0], op);
    const data = numeric(x, op) as Num;
    if ((x.type === "bool") !== (opts.boolIn ?? false)) {
      throw new UnsupportedError(`${op} on ${x.type} tensors`);
    }
    if (opts.floatOnly && !isFloat(x.type)) throw new UnsupportedError(`${op} on ${x.type} tensors`);
    const out = alloc(opts.out ?? x.type, [...x.dims]);
    loop(out.data as Num, data);
    return [out];
  };
}

/** Like unary, for ops onnxruntime defines on float32 and float64 only (others are refused). */
const floatUnary = (op: string, loop: Loop1) => unary(op, loop, { floatOnly: true });

/**
 * A float op with two loops: float32 in onnxruntime's float32 steps (each intermediate rounded where it rounds
 * one), float64 computed in double.
 */
function byFloatType(op: string, float32: Loop1, float64: Loop1): Kernel {
  const k32 = floatUnary(op, float32), k64 = floatUnary(op, float64);
  return (inputs) => (inputs[0]?.type === "float32" ? k32 : k64)(inputs);
}

const f32 = Math.fround;

/** Rounds half to even (numpy's and ONNX's Round). */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** 1 / (1 + e^-x), in a form that does not overflow for large |x|. */
function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** log(1 + e^x) without overflow. */
function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** Enough series terms for |x| < 2 (the 40th is below 1e-17 of the sum). */
const SERIES_TERMS = 48;
const INV_N = Float64Array.from({ length: SERIES_TERMS }, (_, n) => 1 / n);
const INV_ODD = Float64Array.from({ length: SERIES_TERMS }, (_, n) => 1 / (2 * n + 1));

/**
 * The error function to double precision (within 2e-15 relative of C's erf): its Maclaurin series below
 * |x| = 2, 1 - erfc(x) from erfc's continued fraction above (at most ~31 terms, fewer as |x| grows), and ±1
 * from |x| = 6 on, where erfc(x) < 2e-17 no longer changes a double.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2) {
    // erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)), with the divisions taken from tables.
    const x2 = x * x;
    let term = x, sum = x;
    for (let n = 1; n < SERIES_TERMS; n++) {
      term *= -x2 * INV_N[n];
      const add = term * INV_ODD[n];
      sum += add;
      if (Math.abs(add) <= 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (Number.isNaN(x)) return x;
  if (ax >= 6) return Math.sign(x);
  // erfc(x) = 2x e^(-x²)/√π · 1/(2x²+1 - 1·2/(2x²+5 - 3·4/(2x²+9 - ...))), the even contraction of erfc's
  // continued fraction (twice as fast to converge), evaluated by Lentz's method.
  const b0 = 2 * ax * ax + 1;
  let f = b0, c = b0, d = 0;
  for (let n = 1; n < 100; n++) {
    const a = -(2 * n - 1) * (2 * n), b = b0 + 4 * n;
    d = 1 / (b + a * d);
    c = b + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = (2 * ax * Math.exp(-ax * ax)) / (Math.sqrt(Math.PI) * f);
  return Math.sign(x) * (1 - erfc);
}

// Float attribute defaults are float32 values, as an attribute set to them would hold.

function leakyRelu({ attrs }: NodeContext): Kernel {
  const alpha = attrs.float("alpha", f32(0.01));
  return floatUnary("LeakyRelu", (o, x) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] < 0 ? alpha * x[i] : x[i];
  });
}

/** max(0, min(1, alpha·x + beta)); in float32 the product and the sum each round, as in onnxruntime. */
function hardSigmoid({ attrs }: NodeContext): Kernel {
  const alpha = attrs.float("alpha", f32(0.2)), beta = attrs.float("beta", 0.5);
  return byFloatType("HardSigmoid", (o, x) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.max(0, Math.min(1, f32(f32(alpha * x[i]) + beta)));
  }, (o, x) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.max(0, Math.min(1, alpha * x[i] + beta));
  });
}

/** x · HardSigmoid(x) with alpha 1/6 (as float32, for doubles too) and beta 0.5, as onnxruntime computes it. */
function hardSwish(): Kernel {
  const alpha = f32(1 / 6);
  return byFloatType("HardSwish", (o, x) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] * Math.max(0, Math.min(1, f32(f32(alpha * x[i]) + 0.5)));
  }, (o, x) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] * Math.max(0, Math.min(1, alpha * x[i] + 0.5));
  });
}

// Elu, Celu and Selu round e^x to float32 before subtracting 1, as onnxruntime does (near 0 that rounding is
// most of the result's error, up to 3e-3 relative); what remains is its exp's last bit (2.6e-4 at worst).

function elu({ attrs }: NodeContext): Kernel {
  const alpha = attrs.float("alpha", 1);
  return byFloatType("Elu", (o, x) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] < 0 ? f32(alpha * f32(f32(Math.exp(x[i])) - 1)) : x[i];
  }, (o, x) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] < 0 ? alpha * Math.expm1(x[i]) : x[i];
  });
}

function thresholdedRelu({ attrs }: NodeContext): Kernel {
  const alpha = attrs.float("alpha", 1);
  return floatUnary("ThresholdedRelu", (o, x) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] > alpha ? x[i] : 0;
  });
}

function celu({ attrs }: NodeContext): Kernel {
  const alpha = attrs.float("alpha", 1);
  return byFloatType("Celu", (o, x) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      o[i] = Math.max(0, v) + Math.min(0, f32(alpha * f32(f32(Math.exp(f32(v / alpha))) - 1)));
    }
  }, (o, x) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      o[i] = Math.max(0, v) + Math.min(0, alpha * Math.expm1(v / alpha));
    }
  });
}

/** Shrink: values within ±lambd become 0, the others move toward 0 by bias; integer results truncate. */
function shrink({ attrs }: NodeContext): Kernel {
  const bias = attrs.float("bias", 0), lambd = attrs.float("lambd", 0.5);
  const loop = unary("Shrink", (o, x) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      o[i] = v < -lambd ? v + bias : v > lambd ? v - bias : 0;
    }
  });
  return (inputs) => {
    const [y] = loop(inputs);
    // int64 is held in doubles, so its truncation is explicit (Int32Array and smaller truncate on store).
    if (y.type === "int64" || y.type === "uint64") {
      const d = y.data as Float64Array;
      for (let i = 0; i < d.length; i++) d[i] = Math.trunc(d[i]);
    }
    return [y];
  };
}

const SQRT_HALF = Math.SQRT1_2, SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Gelu (opset 20): x·Φ(x) through erf, or its tanh approximation. */
function gelu({ attrs }: NodeContext): Kernel {
  const approximate = attrs.string("approximate", "none");
  if (approximate === "none") {
    // In float32, erf rounds before 1 is added, as onnxruntime computes it: far below 0 the result is 0 there,
    // not the exact 1e-23s.
    const half = f32(SQRT_HALF);
    return byFloatType("Gelu", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = 0.5 * x[i] * f32(1 + f32(erf(f32(x[i] * half))));
    }, (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = 0.5 * x[i] * (1 + erf(x[i] * SQRT_HALF));
    });
  }
  if (approximate === "tanh") {
    return floatUnary("Gelu", (o, x) => {
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        o[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)));
      }
    });
  }
  throw new UnsupportedError(`Gelu: approximate must be "none" or "tanh", not "${approximate}"`);
}

function selu({ attrs }: NodeContext): Kernel {
  const alpha = attrs.float("alpha", f32(1.67326319217681884765625));
  const gamma = attrs.float("gamma", f32(1.05070102214813232421875));
  const scale = f32(gamma * alpha);
  return byFloatType("Selu", (o, x) => {
    for (let i = 0; i < x.length; i++) {
      o[i] = x[i] > 0 ? gamma * x[i] : scale * f32(f32(Math.exp(x[i])) - 1);
    }
  }, (o, x) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] > 0 ? gamma * x[i] : gamma * alpha * Math.expm1(x[i]);
  });
}

function isInf({ attrs }: NodeContext): Kernel {
  const neg = attrs.int("detect_negative", 1) !== 0, pos = attrs.int("detect_positive", 1) !== 0;
  return unary("IsInf", (o, x) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      o[i] = (pos && v === Infinity) || (neg && v === -Infinity) ? 1 : 0;
    }
  }, { out: "bool", floatOnly: true });
}

/** The largest finite value of a type: onnxruntime's bound for an omitted Clip min or max (±inf is clipped). */
function typeMax(type: ElemType): number {
  return type === "float32" ? 3.4028234663852886e38 : type === "float64" ? Number.MAX_VALUE : Infinity;
}

/** A scalar bound of Clip given as an input (opset 11+). */
function bound(t: Tensor | undefined, fallback: number): number {
  if (!t) return fallback;
  const d = numeric(t, "Clip");
  if (d.length !== 1) throw new Error(`Clip: min and max must be scalars, got shape [${t.dims.join(",")}]`);
  return d[0];
}

function clip({ attrs, opset }: NodeContext): Kernel {
  const run = (x: Tensor, lo: number, hi: number): Tensor => {
    const data = numeric(x, "Clip") as Num;
    if (x.type === "bool") throw new UnsupportedError("Clip on bool tensors");
    const out = alloc(x.type, [...x.dims]);
    const o = out.data as Num;
    // min first, then max, so that min > max gives max everywhere; NaN compares false and passes through.
    for (let i = 0; i < data.length; i++) {
      const v = data[i] < lo ? lo : data[i];
      o[i] = v > hi ? hi : v;
    }
    return out;
  };
  if (opset < 11) {
    const lo = attrs.float("min", -3.4028234663852886e38), hi = attrs.float("max", 3.4028234663852886e38);
    return (inputs) => [run(required(inputs[0], "Clip"), lo, hi)];
  }
  return (inputs) => {
    const x = required(inputs[0], "Clip"), limit = typeMax(x.type);
    return [run(x, bound(inputs[1], -limit), bound(inputs[2], limit))];
  };
}

const UNARY_OPS: OpTable = {
  Not: () =>
    unary("Not", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = x[i] ? 0 : 1;
    }, { boolIn: true }),
  Relu: () =>
    unary("Relu", (o, x) => {
      // NaN stays NaN, as in onnxruntime.
      for (let i = 0; i < x.length; i++) o[i] = x[i] < 0 ? 0 : x[i];
    }),
  LeakyRelu: leakyRelu,
  HardSigmoid: hardSigmoid,
  Elu: elu,
  Selu: selu,
  Gelu: gelu,
  // float32 by MLAS's rational approximation (clamped at ±18), as onnxruntime computes it.
  Sigmoid: () =>
    byFloatType("Sigmoid", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = mlasLogistic(x[i]);
    }, (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = sigmoid(x[i]);
    }),
  Tanh: () =>
    floatUnary("Tanh", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.tanh(x[i]);
    }),
  Exp: () =>
    floatUnary("Exp", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.exp(x[i]);
    }),
  Log: () =>
    floatUnary("Log", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.log(x[i]);
    }),
  Sqrt: () =>
    floatUnary("Sqrt", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.sqrt(x[i]);
    }),
  Reciprocal: () =>
    floatUnary("Reciprocal", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = 1 / x[i];
    }),
  Floor: () =>
    floatUnary("Floor", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.floor(x[i]);
    }),
  Ceil: () =>
    floatUnary("Ceil", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.ceil(x[i]);
    }),
  Round: () =>
    floatUnary("Round", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = roundHalfEven(x[i]);
    }),
  Erf: () =>
    floatUnary("Erf", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = erf(x[i]);
    }),
  Softplus: () =>
    floatUnary("Softplus", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = softplus(x[i]);
    }),
  // float32 as x times the rounded reciprocal of 1 + |x|, as onnxruntime computes it.
  Softsign: () =>
    byFloatType("Softsign", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = x[i] * f32(1 / f32(1 + Math.abs(x[i])));
    }, (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = x[i] / (1 + Math.abs(x[i]));
    }),
  ThresholdedRelu: thresholdedRelu,
  Celu: celu,
  Shrink: shrink,
  HardSwish: hardSwish,
  Mish: () =>
    floatUnary("Mish", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = x[i] * Math.tanh(softplus(x[i]));
    }),
  Tan: () =>
    floatUnary("Tan", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.tan(x[i]);
    }),
  Asin: () =>
    floatUnary("Asin", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.asin(x[i]);
    }),
  Acos: () =>
    floatUnary("Acos", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.acos(x[i]);
    }),
  Atan: () =>
    floatUnary("Atan", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.atan(x[i]);
    }),
  Sinh: () =>
    floatUnary("Sinh", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.sinh(x[i]);
    }),
  Cosh: () =>
    floatUnary("Cosh", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.cosh(x[i]);
    }),
  Asinh: () =>
    floatUnary("Asinh", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.asinh(x[i]);
    }),
  Acosh: () =>
    floatUnary("Acosh", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.acosh(x[i]);
    }),
  Atanh: () =>
    floatUnary("Atanh", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.atanh(x[i]);
    }),
  Sin: () =>
    floatUnary("Sin", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.sin(x[i]);
    }),
  Cos: () =>
    floatUnary("Cos", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.cos(x[i]);
    }),
  Abs: () =>
    unary("Abs", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.abs(x[i]);
    }),
  Neg: () =>
    unary("Neg", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = -x[i];
    }),
  Sign: () =>
    unary("Sign", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = Math.sign(x[i]);
    }),
  IsNaN: () =>
    unary("IsNaN", (o, x) => {
      for (let i = 0; i < x.length; i++) o[i] = x[i] !== x[i] ? 1 : 0;
    }, { out: "bool", floatOnly: true }),
  IsInf: isInf,
  Clip: clip,
};

/** The attributes each op reads; any other attribute refuses the model (see knownAttributes). */
const ATTRIBUTES: Readonly<Record<string, string[]>> = {
  LeakyRelu: ["alpha"],
  HardSigmoid: ["alpha", "beta"],
  Elu: ["alpha"],
  Selu: ["alpha", "gamma"],
  Celu: ["alpha"],
  ThresholdedRelu: ["alpha"],
  Shrink: ["bias", "lambd"],
  Gelu: ["approximate"],
  IsInf: ["detect_negative", "detect_positive"],
  Clip: ["min", "max"],
};

export const CORE_UNARY_OPS: OpTable = Object.fromEntries(
  Object.entries(UNARY_OPS).map(([op, factory]) => [op, knownAttributes(ATTRIBUTES[op] ?? [], factory)]),
);
