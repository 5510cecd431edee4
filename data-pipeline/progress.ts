/**
 * Progress on a terminal: one line redrawn in place (at most ~10 times a
 * second) when stderr is a TTY; otherwise one line per stage, so CI logs and
 * pipes stay readable.
 */
export interface Progress {
  /** A new stage; ends the previous one's line. */
  stage(name: string): void;
  /** The current stage's progress; total 0 means unknown. */
  update(done: number, total: number, unit?: string): void;
  /** Ends the last stage. */
  done(): void;
}

/**
 * 1234567 -> "1,234,567". Not toLocaleString: its first call loads ICU's
 * locale data, ~13 ms of a one-second import.
 */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function fmt(n: number, unit: string): string {
  if (unit === 'bytes') return `${(n / 1048576).toFixed(1)} MB`;
  return thousands(n);
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  const tty = Boolean(stream.isTTY) && !quiet;
  let current = '';
  let started = 0;
  let lastDraw = 0;
  const finishLine = () => {
    if (!current) return;
    const secs = ((performance.now() - started) / 1000).toFixed(2);
    if (tty) stream.write(`\r\x1b[2K${current} … done in ${secs} s\n`);
    else if (!quiet) stream.write(`${current}: done in ${secs} s\n`);
    current = '';
  };
  return {
    stage(name) {
      finishLine();
      current = name;
      started = performance.now();
      stream.write(tty ? `${name} …` : quiet ? '' : `${name} …\n`);
    },
    update(done, total, unit = '') {
      if (!tty) return;
      const now = performance.now();
      if (now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      const pct = total > 0 ? ` ${Math.floor((done / total) * 100)}%` : '';
      const of = total > 0 ? ` of ${fmt(total, unit)}` : '';
      const label = unit && unit !== 'bytes' ? ` ${unit}` : '';
      stream.write(`\r\x1b[2K${current} …${pct} (${fmt(done, unit)}${of}${label})`);
    },
    done: finishLine,
  };
}
