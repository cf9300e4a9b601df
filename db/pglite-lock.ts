import fs from 'node:fs';
import { AppError } from '@/lib/errors/app-error';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is single-process: two processes on one data directory would corrupt it. A lock file
 * holding the owner's pid keeps a second process (a CLI run while `npm start` serves, say) out
 * with a clear message; a stale lock from a dead process is taken over. Returns the release.
 */
export function lockPgliteDir(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      const release = () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.rmSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (owner && owner !== process.pid && alive(owner)) {
        throw new AppError(
          'unavailable',
          `The embedded database ${dataDir} is in use by process ${owner} (probably npm start). Stop it first, or run with DATABASE_URL.`,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new AppError('unavailable', `Could not lock the embedded database ${dataDir}.`);
}
