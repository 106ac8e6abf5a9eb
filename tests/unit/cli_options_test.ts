import assert from "node:assert/strict";
import { parseOptions, UsageError } from "../../src/cli/options.ts";
import type { Env } from "../../src/cli/options.ts";
import { SERVER_OPTIONS, UI_OPTIONS } from "../../src/cli/server-options.ts";

/** Runs `fn`, expecting a UsageError whose message includes `part`; returns it. */
function usageError(fn: () => unknown, part = ""): UsageError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UsageError, `expected UsageError, got ${e}`);
    assert.ok(e.message.includes(part), `'${e.message}' lacks '${part}'`);
    return e;
  }
  assert.fail("no UsageError thrown");
}

const noEnv: Env = () => undefined;
const envOf = (vars: Record<string, string>): Env => (name) => vars[name];

Deno.test("server options: defaults when nothing is given", () => {
  const { values, help } = parseOptions(SERVER_OPTIONS, [], noEnv);
  assert.deepEqual(help, false);
  assert.deepEqual(values["backend-store-uri"], undefined);
  assert.deepEqual(values["serve-artifacts"], true);
  assert.deepEqual(values["artifacts-destination"], "./mlartifacts");
  assert.deepEqual(values.host, "127.0.0.1");
  assert.deepEqual(values.port, "5000");
  assert.deepEqual(values.workers, "4");
  assert.deepEqual(values["expose-prometheus"], undefined);
});

Deno.test("server options: short flags, --no- negation and long forms", () => {
  const { values } = parseOptions(
    SERVER_OPTIONS,
    ["-h", "0.0.0.0", "-p", "8080", "-w", "2", "--no-serve-artifacts", "--static-prefix=/t"],
    noEnv,
  );
  assert.deepEqual(values.host, "0.0.0.0");
  assert.deepEqual(values.port, "8080");
  assert.deepEqual(values.workers, "2");
  assert.deepEqual(values["serve-artifacts"], false);
  assert.deepEqual(values["static-prefix"], "/t");
});

Deno.test("server options: environment fills in, the command line wins", () => {
  const env = envOf({
    MLFLOW_PORT: "7000",
    MLFLOW_HOST: "0.0.0.0",
    MLFLOW_SERVE_ARTIFACTS: "false",
    MLFLOW_WORKERS: "3",
  });
  const fromEnv = parseOptions(SERVER_OPTIONS, [], env).values;
  assert.deepEqual([fromEnv.port, fromEnv.host, fromEnv["serve-artifacts"], fromEnv.workers], [
    "7000",
    "0.0.0.0",
    false,
    "3",
  ]);
  const cli = parseOptions(SERVER_OPTIONS, ["--port", "7001", "--serve-artifacts"], env).values;
  assert.deepEqual([cli.port, cli["serve-artifacts"]], ["7001", true]);
});

Deno.test("server options: an empty environment variable counts as unset", () => {
  const { values } = parseOptions(
    SERVER_OPTIONS,
    [],
    envOf({ MLFLOW_PORT: "", MLFLOW_EXPOSE_PROMETHEUS: "" }),
  );
  assert.deepEqual(values.port, "5000");
  assert.deepEqual(values["expose-prometheus"], undefined);
});

Deno.test("server options: a non-boolean environment value is a usage error", () => {
  usageError(
    () => parseOptions(SERVER_OPTIONS, [], envOf({ MLFLOW_SERVE_ARTIFACTS: "maybe" })),
    "MLFLOW_SERVE_ARTIFACTS=maybe is not a boolean",
  );
});

Deno.test("--expose-prometheus takes an optional directory", () => {
  assert.deepEqual(
    parseOptions(SERVER_OPTIONS, ["--expose-prometheus"], noEnv).values["expose-prometheus"],
    "",
  );
  const before = parseOptions(SERVER_OPTIONS, ["--expose-prometheus", "--port", "1"], noEnv).values;
  assert.deepEqual([before["expose-prometheus"], before.port], ["", "1"]);
  assert.deepEqual(
    parseOptions(SERVER_OPTIONS, ["--expose-prometheus", "/tmp/p"], noEnv).values["expose-prometheus"],
    "/tmp/p",
  );
  assert.deepEqual(
    parseOptions(SERVER_OPTIONS, [], envOf({ MLFLOW_EXPOSE_PROMETHEUS: "/d" })).values["expose-prometheus"],
    "/d",
  );
});

Deno.test("unknown options, stray arguments and missing values are one-line usage errors", () => {
  const cases: [string[], RegExp][] = [
    [["--bogus"], /^Unknown option '--bogus'$/],
    [["-x"], /^Unknown option '-x'$/],
    [["--port"], /--port <value>' argument missing$/],
    [["extra"], /^Unexpected argument 'extra'/],
    [["--no-port"], /^Unknown option '--no-port'$/],
    [["--no-host"], /^Unknown option '--no-host'$/],
    [["--serve-artifacts=yes"], /does not take an argument/],
  ];
  for (const [argv, re] of cases) {
    const e = usageError(() => parseOptions(SERVER_OPTIONS, argv, noEnv));
    assert.match(e.message, re);
    assert.deepEqual(e.message.includes("\n"), false);
  }
});

Deno.test("ui has no --workers; --help is recognised (and -h stays the host)", () => {
  usageError(() => parseOptions(UI_OPTIONS, ["-w", "2"], noEnv), "Unknown option '-w'");
  assert.deepEqual(parseOptions(UI_OPTIONS, ["--help"], noEnv).help, true);
  const { values, help } = parseOptions(UI_OPTIONS, ["-h", "::1"], noEnv);
  assert.deepEqual([values.host, help], ["::1", false]);
});
