// MLflow's JSON dialect: non-finite doubles travel as the strings "NaN", "Infinity", "-Infinity"
// (JSON.stringify would write null, which the Python client reads as 0.0).

export function finiteOrString(v: number): number | string {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return "NaN";
  return v > 0 ? "Infinity" : "-Infinity";
}

/** Parses a double as MLflow accepts it: a JSON number or a numeric / NaN / Infinity string. */
export function parseDouble(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (s === "NaN" || s === "nan") return NaN;
  if (s === "Infinity" || s === "inf" || s === "+Infinity") return Infinity;
  if (s === "-Infinity" || s === "-inf") return -Infinity;
  if (s === "" || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** A body already serialised as JSON text (hot paths build their JSON directly). */
export class RawJson {
  constructor(readonly text: string) {}
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(body instanceof RawJson ? body.text : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}
