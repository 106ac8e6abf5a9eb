// meta.yaml reading and writing with PyYAML's rules. MLflow reads and writes these files with PyYAML's
// safe loader/dumper, whose YAML 1.1 resolvers differ from YAML 1.2 (and from the `yaml` package's own 1.1
// schema): `yes`/`on` are booleans but `y`/`n` are not, `1e5` is a string (floats need a dot), `=` and `<<`
// are special. A string PyYAML would read as anything else must be quoted on write, and a plain scalar
// must be read the way PyYAML reads it, or ids, names and values silently change type.

import { parse, type ScalarTag, stringify } from "yaml";

const RE_NULL = /^(?:~|null|Null|NULL|)$/;
const RE_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const RE_INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const RE_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const RE_TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;
// PyYAML resolves these to tags its safe loader cannot build; its dumper therefore quotes such strings.
const RE_SPECIAL = /^(?:=|<<)$/;

function sexagesimal(digits: string): number {
  let n = 0;
  for (const part of digits.split(":")) n = n * 60 + Number(part);
  return n;
}

/** PyYAML's int constructor; integers beyond 2^53 stay exact as bigint. */
export function resolveInt(text: string): number | bigint {
  let s = text.replaceAll("_", "");
  let sign = 1n;
  if (s[0] === "-" || s[0] === "+") {
    if (s[0] === "-") sign = -1n;
    s = s.slice(1);
  }
  let big: bigint;
  if (s === "0") big = 0n;
  else if (s.startsWith("0b")) big = BigInt(s);
  else if (s.startsWith("0x")) big = BigInt(s);
  else if (s.startsWith("0")) big = BigInt("0o" + s.slice(1));
  else if (s.includes(":")) big = BigInt(sexagesimal(s));
  else big = BigInt(s);
  big *= sign;
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : big;
}

function resolveFloat(text: string): number {
  const s = text.replaceAll("_", "").toLowerCase();
  const sign = s.startsWith("-") ? -1 : 1;
  const body = s.replace(/^[-+]/, "");
  if (body === ".inf") return sign * Infinity;
  if (body === ".nan") return NaN;
  if (body.includes(":")) return sign * sexagesimal(body);
  return sign * Number(body);
}

/** PyYAML's float representer: repr, lower case, `.0` before a bare exponent, `.inf`/`.nan`. */
function representFloat(x: number): string {
  if (Number.isNaN(x)) return ".nan";
  if (x === Infinity) return ".inf";
  if (x === -Infinity) return "-.inf";
  const r = pyRepr(x);
  return !r.includes(".") && r.includes("e") ? r.replace("e", ".0e") : r;
}

/** Python's repr() of a finite float: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
export function pyRepr(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  const negative = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  let out: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    out = `${m}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  } else if (exp < 0) {
    out = `0.${"0".repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    out = `${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return negative ? `-${out}` : out;
}

const TAGS: ScalarTag[] = [
  {
    tag: "tag:yaml.org,2002:null",
    default: true,
    test: RE_NULL,
    identify: (v) => v === null || v === undefined,
    resolve: () => null,
    stringify: () => "null",
  },
  {
    tag: "tag:yaml.org,2002:bool",
    default: true,
    test: RE_BOOL,
    identify: (v) => typeof v === "boolean",
    resolve: (s) => /^(?:yes|true|on)$/i.test(s),
    stringify: (item) => (item.value ? "true" : "false"),
  },
  {
    tag: "tag:yaml.org,2002:int",
    default: true,
    test: RE_INT,
    identify: (v) => typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v)),
    resolve: resolveInt,
    stringify: (item) => String(item.value),
  },
  {
    tag: "tag:yaml.org,2002:float",
    default: true,
    test: RE_FLOAT,
    identify: (v) => typeof v === "number" && !Number.isInteger(v),
    resolve: resolveFloat,
    stringify: (item) => representFloat(item.value as number),
  },
  // Dates stay strings here (nothing we read is a date); the tag only makes date-like strings quoted.
  {
    tag: "tag:yaml.org,2002:timestamp",
    default: true,
    test: RE_TIMESTAMP,
    identify: () => false,
    resolve: (s) => s,
  },
  {
    tag: "tag:yaml.org,2002:value",
    default: true,
    test: RE_SPECIAL,
    identify: () => false,
    resolve: (s) => s,
  },
];

const SCHEMA = {
  version: "1.1" as const,
  schema: "failsafe",
  customTags: (base: unknown[]) => [...base, ...TAGS] as never,
};

/** Parses a meta.yaml document the way PyYAML's safe loader does (plain scalars typed by its resolvers). */
export function parseYaml(text: string): unknown {
  return parse(text, { ...SCHEMA, uniqueKeys: false, maxAliasCount: 100 });
}

// Characters PyYAML treats as line breaks (\x85, \u2028, \u2029) or refuses in a stream; the `yaml` package
// would write some of them raw, so strings holding any are written double-quoted with escapes here.
// deno-lint-ignore no-control-regex
const NEEDS_ESCAPES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]/;

function escapeDoubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\" || ch === '"') out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (c === 0x85) out += "\\N";
    else if (c === 0x2028) out += "\\L";
    else if (c === 0x2029) out += "\\P";
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += "\\x" + c.toString(16).padStart(2, "0");
    else if ((c >= 0xd800 && c <= 0xdfff) || c === 0xfeff || c === 0xfffe || c === 0xffff) {
      out += "\\u" + c.toString(16).padStart(4, "0");
    } else out += ch;
  }
  return out + '"';
}

/** Block-style YAML with sorted keys, as PyYAML's safe_dump(default_flow_style=False, allow_unicode) writes. */
export function dumpYaml(data: Record<string, unknown>): string {
  // Strings needing escapes go through a placeholder the `yaml` package writes plainly.
  const escaped: string[] = [];
  const hold = (v: unknown): unknown => {
    if (typeof v === "string" && NEEDS_ESCAPES.test(v)) {
      escaped.push(escapeDoubleQuoted(v));
      return `tracker-escaped-${escaped.length - 1}-x`;
    }
    if (Array.isArray(v)) return v.map(hold);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [hold(k) as string, hold(x)]));
    }
    return v;
  };
  const text = stringify(hold(data), {
    ...SCHEMA,
    sortMapEntries: true,
    lineWidth: 0,
    singleQuote: true,
    indentSeq: false,
  });
  if (escaped.length === 0) return text;
  return text.replace(/tracker-escaped-(\d+)-x/g, (_m, i) => escaped[Number(i)]);
}
