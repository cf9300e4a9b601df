import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Command } from './commands';

/** `forgetme faces …`: the face engine from the command line (README.md, "CLI"). */
export const FACES_COMMANDS: Command[] = [
  {
    name: 'faces embed',
    usage: 'faces embed IMAGE...',
    summary: 'Find every face in each image; one JSON line per image with boxes, scores and 128-d descriptors.',
    help: 'Prints {"path", "model", "faces": [{"box": [x, y, w, h], "score", "descriptor": [128 numbers]}]} or {"path", "error": {"code", "message"}} per image, in order. Uses FORGETME_WORKER_THREADS threads.',
    run: async (args) => {
      const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
      if (!positionals.length) throw Object.assign(new TypeError('give at least one image path'), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
      const { getThreadPool, closeThreadPool } = await import('@/lib/jobs/thread-pool');
      const pool = getThreadPool();
      let failures = 0;
      try {
        const jobs = positionals.map(async (path) => {
          let bytes: Buffer;
          try {
            bytes = await fs.readFile(path);
          } catch (err) {
            return { path, error: { code: 'not_found', message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code}` } };
          }
          const r = await pool.run<import('@/lib/faces/embed-image').EmbedResult>('faces.embed', { bytes: new Uint8Array(bytes) });
          if (!r.ok) return { path, error: r.error };
          return { path, model: r.model, truncated: r.truncated || undefined, faces: r.faces.map((f) => ({ box: f.box, score: f.score, descriptor: f.descriptor })) };
        });
        for (const job of jobs) {
          const line = await job;
          if ('error' in line) failures++;
          console.log(JSON.stringify(line));
        }
      } finally {
        await closeThreadPool();
      }
      return failures ? 1 : 0;
    },
  },
];
