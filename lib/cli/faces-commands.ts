import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EmbedResult } from '@/lib/faces/embed-image';
import type { Command } from './commands';

async function listImages(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listImages(p)));
    else if (/\.(jpe?g|png|webp)$/i.test(entry.name)) out.push(p);
  }
  return out.sort();
}

/** `forgetme faces …`: the face engine from the command line (README.md, "CLI"). */
export const FACES_COMMANDS: Command[] = [
  {
    name: 'faces embed',
    usage: 'faces embed IMAGE...',
    summary: 'Find every face in each image; one JSON line per image with boxes, scores and 128-d descriptors.',
    help:
      'Prints {"path", "model", "faces": [{"box": [x, y, w, h], "score", "descriptor": [128 numbers]}]} or {"path", "error": {"code", "message"}} ' +
      'per image, in order. Uses FORGETME_WORKER_THREADS threads.',
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
          const r = await pool.run<EmbedResult>('faces.embed', { bytes: new Uint8Array(bytes) });
          if (!r.ok) return { path, error: r.error };
          return {
            path,
            model: r.model,
            truncated: r.truncated || undefined,
            faces: r.faces.map((f) => ({ box: f.box, score: f.score, descriptor: f.descriptor })),
          };
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
  {
    name: 'faces match',
    usage: 'faces match --references IMG... --in DIR',
    summary: 'Find the photos in DIR (recursively) that show the person in the reference photos, with distances and tiers.',
    help:
      'Each reference must show exactly one clear face. Prints one JSON line per matching image, nearest first: ' +
      '{"path", "distance", "tier": "shown"|"possible", "box"}. Distances are cohort-normalised (lib/matcher/cohort.ts) when the calibration ' +
      'has a cohort, as the product matcher does; thresholds come from lib/matcher/calibration.json.',
    run: async (args) => {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { references: { type: 'string', multiple: true }, in: { type: 'string' } },
      });
      const refs = [...(values.references ?? []), ...positionals];
      if (!refs.length || !values.in)
        throw Object.assign(new TypeError('give --references IMG... and --in DIR'), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
      const [{ getThreadPool, closeThreadPool }, { checkReference }, { calibration, calibratedCohort }, { personDistance }, { searchProbes }] =
        await Promise.all([
          import('@/lib/jobs/thread-pool'),
          import('@/lib/faces/check-reference'),
          import('@/lib/matcher/calibration'),
          import('@/lib/matcher/probes'),
          import('@/lib/matcher/reference-groups'),
        ]);
      const { tiers, aggregation, referencesAgree } = calibration();
      const pool = getThreadPool();
      const embed = async (p: string) => pool.run<EmbedResult>('faces.embed', { bytes: new Uint8Array(await fs.readFile(p)) });
      try {
        const references: number[][] = [];
        for (const r of refs) {
          try {
            references.push(checkReference(await embed(r)).descriptor);
          } catch (err) {
            const e = err as { code?: string; message: string };
            console.error(`forgetme: reference ${r}: ${e.code ?? 'error'}: ${e.message}`);
            return 2;
          }
        }
        // References that disagree are compared by group, as the product's search does (reference-groups.ts).
        const cohort = calibratedCohort();
        const distanceOf = personDistance(searchProbes(references, { aggregation, agree: referencesAgree, cohort }).probes, cohort);
        const images = await listImages(values.in);
        const found = await Promise.all(
          images.map(async (p) => {
            const r = await embed(p);
            if (!r.ok) return [];
            return r.faces.map((f) => ({ path: p, distance: distanceOf(f.descriptor), box: f.box }));
          }),
        );
        const matches = found
          .flat()
          .filter((m) => m.distance < tiers.possible)
          .sort((a, b) => a.distance - b.distance);
        for (const m of matches)
          console.log(
            JSON.stringify({ path: m.path, distance: Math.round(m.distance * 1e4) / 1e4, tier: m.distance < tiers.shown ? 'shown' : 'possible', box: m.box }),
          );
        return 0;
      } finally {
        await closeThreadPool();
      }
    },
  },
];
