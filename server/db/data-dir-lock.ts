/**
 * One process at a time on an embedded database folder. PGlite is a whole
 * PostgreSQL in one process with no shared-memory locking, so a second
 * process (say `npm run ingest` while `npm start` runs) would corrupt it.
 * A lock file holding the owner's pid; a lock whose pid is gone is stale.
 */
import { openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock or throws naming the process that holds it; returns the release function. */
export function lockDataDir(dir: string): () => void {
  // Beside the folder, not in it: PGlite treats its folder as a data directory.
  const file = `${path.resolve(dir)}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(file);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new Error(
          `the embedded database in ${dir} is in use by process ${pid} (a running server or import); ` +
            'stop that process first, or set DATABASE_URL to use a PostGIS server that many processes can share',
        );
      }
      unlinkSync(file); // stale: its owner died
    }
  }
  throw new Error(`could not lock ${dir}`);
}
