import { AppError } from '@/lib/errors/app-error';
import { collect, readMultipart } from '@/lib/http/read-multipart';
import { LIVENESS } from './judge-capture';
import type { CapturedFrame } from './observe-frames';

/** A frame is a JPEG of at most 640×480 from the page: 400 KB is generous. */
const LIMITS = { maxBytes: LIVENESS.maxFrames * 400 * 1024 + 64 * 1024, maxFileBytes: 400 * 1024, maxFiles: LIVENESS.maxFrames, maxFieldBytes: 16 * 1024 };

/**
 * The frames of a live capture: multipart parts `frame` (JPEG, in capture order) and a field
 * `times`, the JSON array of each frame's milliseconds from the capture's start. Read as a stream
 * under limits; the frames stay in memory only (they are never stored).
 */
export async function readCapture(request: Request): Promise<CapturedFrame[]> {
  const { files, fields } = await readMultipart(request, {
    limits: LIMITS,
    fileFields: ['frame'],
    textFields: ['times'],
    onFile: ({ stream }) => collect(stream),
  });
  let times: unknown;
  try {
    times = JSON.parse(fields.get('times') ?? 'null');
  } catch {
    times = null;
  }
  if (!Array.isArray(times) || times.length !== files.length || !times.every((t) => typeof t === 'number' && Number.isFinite(t))) {
    throw new AppError('validation_failed', 'times: must be a JSON array with one number (milliseconds from the start) per frame.');
  }
  return files.map((f, i) => ({ bytes: f.value, t: times[i] as number }));
}
