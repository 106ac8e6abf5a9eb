// Page tokens: MLflow's base64 `{"offset": N}` format, and 400s for anything else.

import assert from "node:assert/strict";
import { MlflowError } from "../../src/errors.ts";
import { decodePageToken, encodePageToken } from "../../src/search/mod.ts";

function invalid(token: string) {
  assert.throws(
    () => decodePageToken(token),
    (e) => e instanceof MlflowError && e.code === "INVALID_PARAMETER_VALUE" && e.status === 400,
    token,
  );
}

Deno.test("tokens are byte-identical to MLflow's", () => {
  // Python: base64.b64encode(json.dumps({"offset": 100}).encode())
  assert.equal(encodePageToken(100), "eyJvZmZzZXQiOiAxMDB9");
  assert.equal(encodePageToken(1), "eyJvZmZzZXQiOiAxfQ==");
});

Deno.test("round trip", () => {
  for (const n of [1, 2, 999, 1000, 50000, 123456789, Number.MAX_SAFE_INTEGER]) {
    assert.equal(decodePageToken(encodePageToken(n)), n);
  }
});

Deno.test("absent or empty token means the first page", () => {
  assert.equal(decodePageToken(undefined), 0);
  assert.equal(decodePageToken(null), 0);
  assert.equal(decodePageToken(""), 0);
});

Deno.test("offset may be an integer string, as MLflow allows", () => {
  assert.equal(decodePageToken(btoa(`{"offset": "25"}`)), 25);
});

Deno.test("garbage tokens are INVALID_PARAMETER_VALUE", () => {
  for (
    const token of [
      "not base64!!",
      "%%%",
      btoa("not json"),
      btoa("[1]"),
      btoa("5"),
      btoa("null"),
      btoa("{}"),
      btoa(`{"offset": 0}`), // MLflow treats a zero offset as invalid; we never issue it
      btoa(`{"offset": -5}`),
      btoa(`{"offset": 1.5}`),
      btoa(`{"offset": "abc"}`),
      btoa(`{"offset": true}`),
      btoa(`{"offset": 1e300}`),
      btoa(`{"start": 5}`),
    ]
  ) invalid(token);
});

Deno.test("encoding rejects offsets that cannot be tokens", () => {
  assert.throws(() => encodePageToken(-1));
  assert.throws(() => encodePageToken(1.5));
});
