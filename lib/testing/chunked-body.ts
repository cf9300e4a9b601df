/** Tests and benches: a body sent as a stream, without Content-Length (as `Transfer-Encoding: chunked` arrives). */
export function chunked(parts: (Buffer | { bytes: number; fill?: number })[]): ReadableStream<Uint8Array> {
  const queue = [...parts];
  return new ReadableStream({
    pull(c) {
      const next = queue.shift();
      if (!next) return c.close();
      if (Buffer.isBuffer(next)) return c.enqueue(new Uint8Array(next));
      // Long runs of one byte (zero unless `fill`) in 1 MiB chunks, generated as they are read.
      const chunk = Math.min(next.bytes, 2 ** 20);
      if (next.bytes > chunk) queue.unshift({ ...next, bytes: next.bytes - chunk });
      c.enqueue(new Uint8Array(chunk).fill(next.fill ?? 0));
    },
  });
}
