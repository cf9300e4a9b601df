/** An item's stored vector: little-endian float32, 4 bytes per value (db/schema/embeddings.ts). */
export function encodeVector(v: Float32Array): Buffer {
  const out = Buffer.alloc(v.length * 4);
  for (let j = 0; j < v.length; j++) out.writeFloatLE(v[j], j * 4);
  return out;
}

/** Decodes a stored vector into `out` at `offset` (float64, as the engine computes). */
export function decodeVectorInto(bytes: Uint8Array, out: Float64Array, offset: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let j = 0; j < bytes.byteLength / 4; j++) out[offset + j] = view.getFloat32(j * 4, true);
}
