import type { Samples } from '@/lib/unlearning/dataset';
import { UnlearningError } from '@/lib/unlearning/errors';

/**
 * A version's held-out samples as one blob: a little-endian u32 with the header's length, the
 * header (JSON: format, n, d, ids, labels), then n × d float32 (the descriptors and partners'
 * vectors are float32 where they are stored, so nothing is rounded). Kept with each version
 * (model_versions.holdout_sha256) so that a removal measures accuracy on the set the model was
 * trained without, read in milliseconds, instead of choosing it again from the dataset with a
 * query (about 1 s at 100,000 items on PGlite, bench/README.md run 11).
 */
const FORMAT = 'forgetme-holdout-1';

type Header = { format: typeof FORMAT; n: number; d: number; ids: string[]; labels: string[] };

export function encodeHoldout(s: Samples): Buffer {
  const n = s.ids.length;
  const header = Buffer.from(JSON.stringify({ format: FORMAT, n, d: s.d, ids: s.ids, labels: s.labels } satisfies Header));
  const out = Buffer.alloc(4 + header.length + n * s.d * 4);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  const x = new Float32Array(n * s.d);
  x.set(s.x.subarray(0, n * s.d));
  Buffer.from(x.buffer).copy(out, 4 + header.length);
  return out;
}

const corrupt = (what: string) => new UnlearningError('model_corrupt', `the held-out samples' file ${what}`);

export function decodeHoldout(b: Buffer): Samples {
  if (b.length < 4) throw corrupt('is truncated');
  const length = b.readUInt32LE(0);
  if (4 + length > b.length) throw corrupt('is truncated');
  let h: Header;
  try {
    h = JSON.parse(b.subarray(4, 4 + length).toString('utf8'));
  } catch {
    throw corrupt('has no readable header');
  }
  const counts = Number.isInteger(h.n) && Number.isInteger(h.d) && h.n >= 0 && h.d > 0;
  if (h.format !== FORMAT || !counts || !Array.isArray(h.ids) || !Array.isArray(h.labels) || h.ids.length !== h.n || h.labels.length !== h.n)
    throw corrupt(`is not a ${FORMAT} file`);
  const body = b.subarray(4 + length);
  if (body.length !== h.n * h.d * 4) throw corrupt(`holds ${body.length} bytes of values, not ${h.n} × ${h.d} float32`);
  // Copied out first: the body starts wherever the header ends, not on a float's boundary.
  const values = new Float32Array(new Uint8Array(body).buffer);
  return { ids: h.ids, labels: h.labels, x: Float64Array.from(values), d: h.d };
}
