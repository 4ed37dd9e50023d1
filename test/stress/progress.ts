// Progress of a long stress run, on stderr: one line every few seconds per figure, so a run
// that takes minutes shows it is alive and how far it got; stdout keeps only the report.

export interface Progress {
  /** Reports `done` of `total` units of figure `label`, with a short note. Throttled. */
  tick(label: string, done: number, total: number, note?: string): void;
  /** A line that is always printed (a figure started or ended). */
  say(line: string): void;
}

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A Progress that writes to `out` at most every `everyMs`. */
export function progressTo(out: { write(s: string): unknown }, everyMs = 3000): Progress {
  let last = 0;
  const start = performance.now();
  const stamp = (): string => `${((performance.now() - start) / 1000).toFixed(1)} s`;
  return {
    tick(label, done, total, note) {
      const now = performance.now();
      if (now - last < everyMs && done < total) return;
      last = now;
      out.write(`[${stamp()}] ${label}: ${fmt(done)} / ${fmt(total)}${note ? `, ${note}` : ''}\n`);
    },
    say(line) {
      out.write(`[${stamp()}] ${line}\n`);
    },
  };
}

/** A Progress that prints nothing (the tests' short form). */
export const silent: Progress = { tick() {}, say() {} };
