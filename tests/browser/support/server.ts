// Starts a real tracker (`main.ts ui`) on a free port with fresh temp folders, for browser tests and the
// UI benchmark. The server is a child process, as users run it.

const ROOT = new URL("../../../", import.meta.url);

export interface TrackerProcess {
  url: string;
  dataDir: string;
  artifactsDir: string;
  stop(): Promise<void>;
}

export async function startTracker(opts: { staticPrefix?: string } = {}): Promise<TrackerProcess> {
  const dataDir = await Deno.makeTempDir({ prefix: "tracker-ui-data-" });
  const artifactsDir = await Deno.makeTempDir({ prefix: "tracker-ui-art-" });
  const args = [
    "run",
    "--unstable-kv",
    "--unstable-net",
    "--unstable-raw-imports",
    "-A",
    "main.ts",
    "ui",
    "--port",
    "0",
    "--backend-store-uri",
    dataDir,
    "--artifacts-destination",
    artifactsDir,
  ];
  if (opts.staticPrefix) args.push("--static-prefix", opts.staticPrefix);
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const url = await new Promise<string>((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`tracker did not start:\n${log}`)), 60_000);
    const watch = async (stream: ReadableStream<Uint8Array>) => {
      const dec = new TextDecoder();
      for await (const chunk of stream) {
        log += dec.decode(chunk);
        const m = /listening on (http:\/\/\S+)/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(m[1].replace(/\/$/, ""));
        }
      }
    };
    watch(child.stdout).catch(() => {});
    watch(child.stderr).catch(() => {});
    child.status.then((s) => {
      clearTimeout(timer);
      reject(new Error(`tracker exited (${s.code}) before listening:\n${log}`));
    });
  });
  return {
    url: url + (opts.staticPrefix ?? ""),
    dataDir,
    artifactsDir,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      await Deno.remove(artifactsDir, { recursive: true }).catch(() => {});
    },
  };
}
