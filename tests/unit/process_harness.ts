// Shared by the tests that run `main.ts` as a real process: spawn it, collect everything it prints, and
// wait for the "listening on <url>" line that names the port it got.

export const MAIN = new URL("../../main.ts", import.meta.url).pathname;
export const DENO = Deno.execPath();

export interface ListeningProcess {
  url: string;
  proc: Deno.ChildProcess;
  /** Everything printed so far (both streams), completed once the process exits. */
  output: Promise<string>;
}

/** Spawns `deno <args>` in cwd and resolves once it announces its URL; rejects with its output if it exits first. */
export async function spawnListening(args: string[], cwd: string): Promise<ListeningProcess> {
  const proc = new Deno.Command(DENO, { args, cwd, stdout: "piped", stderr: "piped" }).spawn();
  let text = "";
  let announce: (url: string) => void;
  const announced = new Promise<string>((resolve) => announce = resolve);
  const collect = async (stream: ReadableStream<Uint8Array<ArrayBuffer>>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(text);
      if (m) announce(m[1]);
    }
  };
  const output = Promise.all([collect(proc.stdout), collect(proc.stderr)]).then(() => text);
  const exited = proc.status.then((s) => `tracker exited with ${s.code} before listening:\n${text}`);
  const url = await Promise.race([announced, exited.then((msg) => Promise.reject(new Error(msg)))]);
  return { url, proc, output };
}
