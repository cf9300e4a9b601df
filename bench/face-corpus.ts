/**
 * Embeds the shared face corpora (../shared/data/faces) once with the face engine on every core and
 * caches the descriptors under bench/.cache/ (git-ignored), for the calibration and retrieval
 * benchmarks. Skips with a message when the corpora are absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ThreadPool } from '@/lib/jobs/thread-pool';
import type { EmbedResult } from '@/lib/faces/embed-image';

export const FACES_DIR = path.resolve('..', 'shared', 'data', 'faces');
export const CACHE_DIR = path.resolve('bench', '.cache');

export type CorpusEntry = {
  corpus: string;
  person: string;
  file: string;
  faces: { box: number[]; score: number; pass: number; descriptor: number[] }[];
  error?: string;
};

export function corpusAvailable(): boolean {
  return fs.existsSync(path.join(FACES_DIR, 'lfw-train'));
}

export function listCorpus(corpus: string): { person: string; file: string }[] {
  const root = path.join(FACES_DIR, corpus);
  return fs
    .readdirSync(root)
    .filter((p) => fs.statSync(path.join(root, p)).isDirectory())
    .sort()
    .flatMap((person) =>
      fs
        .readdirSync(path.join(root, person))
        .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
        .sort()
        .map((f) => ({ person, file: path.join(root, person, f) })),
    );
}

/** The corpus's descriptors, from the cache when present (delete bench/.cache to recompute). */
export async function embedCorpus(corpus: string, threads: number): Promise<{ entries: CorpusEntry[]; seconds: number | null }> {
  const cache = path.join(CACHE_DIR, `${corpus}.json`);
  if (fs.existsSync(cache)) return { entries: JSON.parse(fs.readFileSync(cache, 'utf8')), seconds: null };
  const items = listCorpus(corpus);
  const pool = new ThreadPool(threads);
  const started = performance.now();
  try {
    const entries = await Promise.all(
      items.map(async ({ person, file }) => {
        const r = await pool.run<EmbedResult>('faces.embed', { bytes: new Uint8Array(fs.readFileSync(file)) });
        return r.ok
          ? {
              corpus,
              person,
              file: path.relative(FACES_DIR, file),
              faces: r.faces.map((f) => ({ box: f.box, score: f.score, pass: f.pass, descriptor: f.descriptor })),
            }
          : { corpus, person, file: path.relative(FACES_DIR, file), faces: [], error: r.error.code };
      }),
    );
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    fs.writeFileSync(cache, JSON.stringify(entries));
    return { entries, seconds: (performance.now() - started) / 1000 };
  } finally {
    await pool.close();
  }
}

/** The face a labelled photo is about: the one nearest the image centre (LFW's convention). */
export function mainFace(e: Pick<CorpusEntry, 'corpus' | 'faces'>): number[] | null {
  if (!e.faces.length) return null;
  const [w, h] = e.corpus === 'att_faces' ? [92, 112] : [250, 250];
  const off = (f: CorpusEntry['faces'][number]) => Math.hypot(f.box[0] + f.box[2] / 2 - w / 2, f.box[1] + f.box[3] / 2 - h / 2);
  return [...e.faces].sort((a, b) => off(a) - off(b))[0].descriptor;
}
