// Runs Python with the real mlflow client (the project's venv, set up on demand) against a tracker.

import { assert } from "../../unit/routes_harness.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;

let python: Promise<string> | undefined;

function venvPython(): Promise<string> {
  python ??= (async () => {
    const setup = await new Deno.Command("bash", {
      args: [`${ROOT}scripts/setup-python.sh`],
      stdout: "piped",
    })
      .output();
    assert(setup.success, "scripts/setup-python.sh failed");
    return new TextDecoder().decode(setup.stdout).trim();
  })();
  return python;
}

/**
 * Runs `args` (a script under tests/browser/support/ given by name, or `-c <code>`) with
 * MLFLOW_TRACKING_URI=`trackingUri`; returns the words of its standard output.
 */
export async function runMlflowPython(trackingUri: string, args: string[]): Promise<string[]> {
  const [first, ...rest] = args;
  const argv = first === "-c" ? args : [`${ROOT}tests/browser/support/${first}`, ...rest];
  const res = await new Deno.Command(await venvPython(), {
    args: argv,
    env: { MLFLOW_TRACKING_URI: trackingUri, GIT_PYTHON_REFRESH: "quiet" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(res.success, new TextDecoder().decode(res.stderr));
  return new TextDecoder().decode(res.stdout).trim().split(/\s+/);
}
