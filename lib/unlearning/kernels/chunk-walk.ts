import { paddedWidth, type Arena } from './row-kernel';

/** Rows per chunk: 256 rows of 132 float32 (132 KB; 1 MB at d = 1,024) stay in a 1 MB L2 cache beside the classes' vectors. */
export const CHUNK_ROWS = 256;

/** The kernel memory a walk needs for its chunk: the rows (padded) and one chunk's row list. */
export function chunkRegions(D: number): { x: number; rows: number } {
  return { x: CHUNK_ROWS * paddedWidth(D) * 4, rows: CHUNK_ROWS * 4 };
}

/**
 * Splits C classes into passes that each hold at most `limitBytes` of per-class vectors in the
 * kernels' memory (`bytesPerClass` each): [first, end) per pass. More classes take more passes over
 * the rows instead of more memory.
 */
export function classPasses(C: number, bytesPerClass: number, limitBytes: number): [number, number][] {
  const per = Math.max(1, Math.floor(limitBytes / bytesPerClass));
  const out: [number, number][] = [];
  for (let c0 = 0; c0 < C; c0 += per) out.push([c0, Math.min(C, c0 + per)]);
  return out;
}

/**
 * Walks rows [0, n) of x (n × D float32) in chunks of CHUNK_ROWS: copies each chunk into the
 * kernels' memory at `at.x` (rows padded to paddedWidth(D); the padding, zeroed by arena, is never
 * written) and, for each class (each active one, with a mask), lists its rows of the chunk at
 * `at.rows`, relative to the chunk, then calls visit(c, from, count) for the class's
 * rows[from..from + count). Each class's rows ascend; every row of a class is visited once.
 */
export function walkChunks(
  space: Pick<Arena<'x' | 'rows'>, 'at' | 'f32' | 'i32'>,
  x: Float32Array,
  D: number,
  n: number,
  classes: readonly { rows: Int32Array }[],
  active: Uint8Array | null,
  visit: (c: number, from: number, count: number) => void,
): void {
  const dp = paddedWidth(D);
  const { at, f32, i32 } = space;
  const rowsAt = at.rows / 4;
  const cursor = new Int32Array(classes.length);
  for (let r0 = 0; r0 < n; r0 += CHUNK_ROWS) {
    const r1 = Math.min(n, r0 + CHUNK_ROWS);
    for (let i = r0; i < r1; i++) f32.set(x.subarray(i * D, (i + 1) * D), at.x / 4 + (i - r0) * dp);
    for (let c = 0; c < classes.length; c++) {
      if (active && !active[c]) continue;
      const rows = classes[c].rows;
      const from = cursor[c];
      let to = from;
      while (to < rows.length && rows[to] < r1) {
        i32[rowsAt + to - from] = rows[to] - r0;
        to++;
      }
      cursor[c] = to;
      if (to > from) visit(c, from, to - from);
    }
  }
}
