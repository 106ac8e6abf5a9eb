// A one-line progress bar on stderr, drawn only when stderr is a terminal (logs and pipes stay clean),
// redrawn at most every 100 ms so drawing never costs more than the work it reports.

const encoder = new TextEncoder();

export interface Progress {
  /** Sets the total (it may grow as work is discovered). */
  total(n: number): void;
  /** Advances by `n` units and optionally changes the label. */
  tick(n?: number, label?: string): void;
  /** Prints a line above the bar (warnings) without garbling it. */
  note(line: string): void;
  /** Clears the bar. */
  done(): void;
}

/**
 * The warn function of an import or export: counts each warning into `report.warnings` and prints it above
 * the progress bar when there is one, else hands it to `warn`.
 */
export function countingWarn(
  report: { warnings: number },
  opts: { warn: (message: string) => void; progress?: Progress },
): (message: string) => void {
  return (m) => {
    report.warnings++;
    if (opts.progress) opts.progress.note(`warning: ${m}`);
    else opts.warn(m);
  };
}

export interface ProgressOptions {
  title: string;
  /** Draw even when stderr is not a terminal (tests); default: only on a terminal. */
  force?: boolean;
  write?: (s: string) => void;
  width?: number;
}

export function createProgress(opts: ProgressOptions): Progress {
  const isTty = opts.force ?? Deno.stderr.isTerminal();
  const write = opts.write ?? ((s: string) => Deno.stderr.writeSync(encoder.encode(s)));
  let total = 0;
  let count = 0;
  let label = "";
  let last = 0;
  let drawn = false;

  const draw = (force = false) => {
    if (!isTty) return;
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const cols = opts.width ?? terminalColumns();
    const frac = total > 0 ? Math.min(1, count / total) : 0;
    const head = `${opts.title} ${count}/${total} `;
    const tail = ` ${(frac * 100).toFixed(0).padStart(3)}% ${label}`;
    const barWidth = Math.max(10, Math.min(40, cols - head.length - 20));
    const filled = Math.round(frac * barWidth);
    const bar = "[" + "#".repeat(filled) + ".".repeat(barWidth - filled) + "]";
    write("\r" + (head + bar + tail).slice(0, Math.max(1, cols - 1)) + "\x1b[K");
    drawn = true;
  };
  const clear = () => {
    if (drawn) write("\r\x1b[K");
    drawn = false;
  };

  return {
    total(n) {
      total = n;
      draw();
    },
    tick(n = 1, l) {
      count += n;
      if (l !== undefined) label = l;
      draw(count >= total);
    },
    note(line) {
      clear();
      write(line.endsWith("\n") ? line : line + "\n");
      draw(true);
    },
    done() {
      clear();
    },
  };
}

function terminalColumns(): number {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return 80;
  }
}
