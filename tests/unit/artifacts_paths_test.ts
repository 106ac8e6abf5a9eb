// Path safety: the textual rule (every traversal spelling) and the on-disk rule (symlinks), plus the
// artifact-URI resolver that the run-scoped routes and the registry rely on.

import nodeAssert from "node:assert/strict";
import * as path from "node:path";
import { MlflowError } from "../../src/errors.ts";
import {
  percentDecode,
  realPathAllowMissing,
  resolveInside,
  type SafePath,
  validatePathIsSafe,
} from "../../src/artifacts/paths.ts";
import { resolveArtifactDir } from "../../src/artifacts/resolve.ts";
import { guessMimeType } from "../../src/artifacts/mime.ts";
import { contentDisposition } from "../../src/artifacts/download.ts";

const assert: (v: unknown, msg?: string) => asserts v = nodeAssert.ok;
const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);

function assertInvalidPath(fn: () => unknown, input: string) {
  try {
    fn();
  } catch (e) {
    assert(e instanceof MlflowError, `${input}: not an MlflowError: ${e}`);
    assertEquals(e.code, "INVALID_PARAMETER_VALUE", input);
    assert(e.message.startsWith("Invalid path"), input);
    return;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

/** Awaits `p` and requires an MlflowError whose message starts with `prefix`. */
async function assertRejects(p: () => Promise<unknown>, prefix: string, label: string) {
  try {
    await p();
  } catch (e) {
    assert(e instanceof MlflowError, `${label}: not an MlflowError: ${e}`);
    assertEquals(e.code, "INVALID_PARAMETER_VALUE", label);
    assert(e.message.startsWith(prefix), `${label}: ${e.message}`);
    return;
  }
  throw new Error(`${label} was accepted`);
}

const UNSAFE = [
  "../etc/passwd",
  "a/../../etc/passwd",
  "..",
  "a/..",
  "..\\..\\etc\\passwd",
  "a\\b",
  "%2e%2e%2fetc%2fpasswd",
  "%2E%2E/%2E%2E/etc",
  "%252e%252e%252fetc%252fpasswd",
  "%25252e%25252e%25252f",
  "..%2f..%2fetc",
  "%5c..%5c..%5cwindows",
  "/etc/passwd",
  "%2fetc%2fpasswd",
  "//proc/self/root/etc/passwd",
  "C:/Windows/win.ini",
  "C:",
  "c:\\x",
  "C%3A%2Fx",
  "file:///etc/passwd",
  "file:/etc/passwd",
  "FILE:relative",
  "file%3A%2F%2F%2Fetc%2Fpasswd",
  "a#b",
  "%23/../x",
  "a/%23",
];

const SAFE: [string, string][] = [
  ["model/MLmodel", "model/MLmodel"],
  ["a/b/c.txt", "a/b/c.txt"],
  ["", ""],
  ["a%20b", "a b"],
  ["a%2520b", "a b"],
  ["..a/b..", "..a/b.."],
  ["a/./b", "a/./b"],
  ["ab:c", "ab:c"],
  ["a?/a", "a?/a"],
  ["100%", "100%"],
  ["a\nb", "a%0ab"],
];

Deno.test("validatePathIsSafe rejects every traversal spelling", () => {
  for (const input of UNSAFE) assertInvalidPath(() => validatePathIsSafe(input), input);
});

Deno.test("validatePathIsSafe returns the decoded path for safe input", () => {
  for (const [input, want] of SAFE) assertEquals(validatePathIsSafe(input), want, input);
});

Deno.test("validatePathIsSafe gives up after 10 decoding rounds", () => {
  let deep = "a";
  for (let i = 0; i < 11; i++) deep = encodeURIComponent(deep + "%");
  assertInvalidPath(() => validatePathIsSafe(deep), deep);
});

Deno.test("validatePathIsSafe is idempotent, so a second check never changes a checked path", () => {
  for (const [input] of SAFE) {
    const once = validatePathIsSafe(input);
    assertEquals(validatePathIsSafe(once), once, input);
  }
});

Deno.test("percentDecode leaves malformed escapes and replaces invalid UTF-8", () => {
  assertEquals(percentDecode("%zz%4"), "%zz%4");
  assertEquals(percentDecode("%C3%A9"), "é");
  assertEquals(percentDecode("%ff"), "\ufffd");
});

async function withTemp(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "artifacts_paths_" });
  try {
    await fn(await Deno.realPath(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("resolveInside follows links that stay inside and refuses links that escape", async () => {
  await withTemp(async (tmp) => {
    const root = path.join(tmp, "root");
    const outside = path.join(tmp, "outside");
    await Deno.mkdir(path.join(root, "real"), { recursive: true });
    await Deno.mkdir(outside);
    await Deno.writeTextFile(path.join(outside, "secret"), "s");
    await Deno.symlink(outside, path.join(root, "escape"));
    await Deno.symlink(path.join(root, "real"), path.join(root, "alias"));
    await Deno.symlink(path.join(outside, "secret"), path.join(root, "file-link"));
    await Deno.symlink(path.join(outside, "not-yet"), path.join(root, "dangling"));

    assertEquals(await resolveInside(root, "alias/x" as SafePath), path.join(root, "real", "x"));
    assertEquals(await resolveInside(root, "" as SafePath), root);
    assertEquals(await resolveInside(root, "new/deep/file" as SafePath), path.join(root, "new/deep/file"));
    for (const rel of ["escape", "escape/secret", "escape/new/file", "file-link", "dangling", "dangling/x"]) {
      await assertRejects(() => resolveInside(root, rel as SafePath), "Invalid path", rel);
    }
    // Unvalidated input is still held inside lexically.
    await assertRejects(() => resolveInside(root, "../outside" as SafePath), "Invalid path", "../outside");
  });
});

Deno.test("resolveInside works when the root does not exist yet, and through a linked root", async () => {
  await withTemp(async (tmp) => {
    assertEquals(
      await resolveInside(path.join(tmp, "later"), "a/b" as SafePath),
      path.join(tmp, "later/a/b"),
    );
    await Deno.mkdir(path.join(tmp, "target"));
    await Deno.symlink(path.join(tmp, "target"), path.join(tmp, "linked-root"));
    assertEquals(
      await resolveInside(path.join(tmp, "linked-root"), "f" as SafePath),
      path.join(tmp, "target/f"),
    );
    assertEquals(await realPathAllowMissing(path.join(tmp, "target/x/y")), path.join(tmp, "target/x/y"));
  });
});

Deno.test("resolveArtifactDir maps local and proxied URIs and refuses everything else", async () => {
  await withTemp(async (dest) => {
    const cfg = { artifactsDestination: dest };
    assertEquals(
      await resolveArtifactDir("mlflow-artifacts:/1/abc/artifacts", cfg),
      path.join(dest, "1/abc/artifacts"),
    );
    assertEquals(
      await resolveArtifactDir("mlflow-artifacts://h:5000/1/r/artifacts", cfg),
      path.join(dest, "1/r/artifacts"),
    );
    assertEquals(await resolveArtifactDir("mlflow-artifacts:/", cfg), dest);
    assertEquals(await resolveArtifactDir("file:///srv/a/1/artifacts", cfg), "/srv/a/1/artifacts");
    assertEquals(await resolveArtifactDir("file://localhost/srv/a", cfg), "/srv/a");
    assertEquals(await resolveArtifactDir("file:///srv/a%20b", cfg), "/srv/a b");
    assertEquals(await resolveArtifactDir("/srv/mlruns/1/x/artifacts", cfg), "/srv/mlruns/1/x/artifacts");
    assertEquals(await resolveArtifactDir("mlruns/1/x", cfg), path.resolve("mlruns/1/x"));

    const refused = [
      "s3://bucket/1/abc/artifacts",
      "gs://b/x",
      "http://127.0.0.1:1/api/2.0/mlflow-artifacts/artifacts/1",
      "https://example.invalid/x",
      "http:///?/../../../../etc/",
      "http:///#/../../../../etc/",
      "dbfs:/x",
      "runs:/abc/model",
      "C:/Windows",
      "file://evil-host/etc",
      "file:relative",
      "file:///srv/../etc",
      "file:///srv/%2e%2e/etc",
      "/srv/a/../../etc",
      "mlflow-artifacts:/../../etc",
      "mlflow-artifacts://h/..%2f..%2fetc",
      "mlflow-artifacts:/%252e%252e%252fetc",
      "mlflow-artifacts:/1#x",
      "mlflow-artifacts:/1?x=1",
      "..\\..\\etc",
    ];
    for (const uri of refused) {
      await assertRejects(() => resolveArtifactDir(uri, cfg), "", uri);
    }
  });
});

Deno.test("resolveArtifactDir refuses a proxied location that a link carries outside the destination", async () => {
  await withTemp(async (tmp) => {
    const dest = path.join(tmp, "dest");
    await Deno.mkdir(dest);
    await Deno.mkdir(path.join(tmp, "elsewhere"));
    await Deno.symlink(path.join(tmp, "elsewhere"), path.join(dest, "1"));
    await assertRejects(
      () => resolveArtifactDir("mlflow-artifacts:/1/run/artifacts", { artifactsDestination: dest }),
      "Invalid path",
      "linked run dir",
    );
  });
});

Deno.test("guessMimeType follows MLflow's table", () => {
  const cases: [string, string][] = [
    ["model/MLmodel", "text/plain"],
    ["MLproject", "text/plain"],
    ["conda.yaml", "text/plain"],
    ["metrics.json", "text/plain"],
    ["a.TXT", "text/plain"],
    ["plot.png", "image/png"],
    ["page.html", "text/html"],
    ["model.pkl", "application/octet-stream"],
    ["x.tar.gz", "application/x-tar"],
    ["x.gz", "application/octet-stream"],
    [".bashrc", "application/octet-stream"],
    ["noext", "application/octet-stream"],
  ];
  for (const [name, want] of cases) assertEquals(guessMimeType(name), want, name);
});

Deno.test("contentDisposition quotes when needed and adds filename* for non-ASCII names", () => {
  assertEquals(contentDisposition("model.pkl"), "attachment; filename=model.pkl");
  assertEquals(contentDisposition('a "b".txt'), 'attachment; filename="a \\"b\\".txt"');
  assertEquals(
    contentDisposition("café.txt"),
    "attachment; filename=cafe.txt; filename*=UTF-8''caf%C3%A9.txt",
  );
  assertEquals(
    contentDisposition("日本"),
    "attachment; filename=download; filename*=UTF-8''%E6%97%A5%E6%9C%AC",
  );
});
