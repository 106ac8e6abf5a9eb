// SQL LIKE / ILIKE as MLflow's SQL store applies it: `%` any run, `_` one character, rest literal.

import assert from "node:assert/strict";
import { compileLike, like } from "../../src/search/mod.ts";

Deno.test("% matches any run of characters, including none", () => {
  assert.ok(like("abc", "%"));
  assert.ok(like("", "%"));
  assert.ok(like("abc", "a%"));
  assert.ok(like("abc", "%c"));
  assert.ok(like("abc", "%b%"));
  assert.ok(like("abc", "a%c"));
  assert.ok(like("ac", "a%c"));
  assert.ok(!like("abd", "a%c"));
  assert.ok(like("a%c", "a%c"));
});

Deno.test("_ matches exactly one character, including astral ones", () => {
  assert.ok(like("abc", "a_c"));
  assert.ok(!like("ac", "a_c"));
  assert.ok(!like("abbc", "a_c"));
  assert.ok(like("a\u{1F600}c", "a_c"));
  assert.ok(like("a_c", "a_c"));
  assert.ok(like("abc", "___"));
  assert.ok(!like("abcd", "___"));
});

Deno.test("anchored at both ends without %", () => {
  assert.ok(like("abc", "abc"));
  assert.ok(!like("xabc", "abc"));
  assert.ok(!like("abcx", "abc"));
  assert.ok(!like("abc\n", "abc"));
  assert.ok(like("line1\nline2", "line1%"));
  assert.ok(like("line1\nline2", "%line2"));
  assert.ok(like("a\nb", "a_b"));
});

Deno.test("regex specials are literal", () => {
  for (const s of [".", "(", ")", "[", "]", "{", "}", "*", "+", "?", "^", "$", "|", "\\", "/", "-"]) {
    assert.ok(like(`a${s}b`, `a${s}b`), s);
    assert.ok(!like("axb", `a${s}b`), s);
    assert.ok(like(`a${s}b`, `a${s}%`), s);
  }
  assert.ok(like("v1.2", "v1.%"));
  assert.ok(!like("v132", "v1.2"));
  assert.ok(like("f(x)", "f(_)"));
  assert.ok(!like("aaa", "a*"));
});

Deno.test("LIKE is case-sensitive, ILIKE is not (beyond ASCII too)", () => {
  assert.ok(!like("ABC", "abc"));
  assert.ok(like("ABC", "abc", true));
  assert.ok(like("Straße", "STRAßE", true));
  assert.ok(like("ÉCOLE", "école", true));
  assert.ok(like("Hello World", "hello%", true));
  assert.ok(!like("Hello World", "hello%"));
});

Deno.test("compileLike builds a reusable predicate", () => {
  const test = compileLike("run-%-v_", false);
  assert.deepEqual(["run-a-v1", "run--v2", "run-a-v12", "Run-a-v1"].map(test), [true, true, false, false]);
});
