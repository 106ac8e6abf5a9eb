// Helper of test_yaml_pyyaml.py: dumps and parses YAML with tracker's meta.yaml codec.
// stdin: {"dump": [<value>...], "parse": [<yaml text>...]}; stdout: {"dumped": [...], "parsed": [...]}.
// Big integers come back as {"bigint": "<digits>"}; non-finite floats as {"float": "nan"|"inf"|"-inf"}.

import { dumpYaml, parseYaml } from "../../src/interchange/filestore/yaml.ts";

const input = JSON.parse(await new Response(Deno.stdin.readable).text());
const fromJson = (v: unknown): unknown =>
  v !== null && typeof v === "object" && "bigint" in v ? BigInt((v as { bigint: string }).bigint) : v;
const toJson = (v: unknown): unknown => {
  if (typeof v === "bigint") return { bigint: String(v) };
  if (typeof v === "number" && !Number.isFinite(v)) {
    return { float: Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf" };
  }
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  }
  return v;
};
console.log(JSON.stringify({
  dumped: (input.dump as unknown[]).map((v) => dumpYaml({ v: fromJson(v) })),
  parsed: (input.parse as string[]).map((t) => toJson(parseYaml(t))),
}));
