import crypto from 'node:crypto';

/**
 * The objective's noise b ~ N(0, σ² I) (Guo et al., ICML 2020, §3), drawn from the operating
 * system's cryptographic random source: never from a seed, so nothing a partner reads or chooses
 * determines it. Each draw is fresh; the caller keeps it sealed with the model.
 *
 * Uniforms carry 53 random bits each (u ∈ (0, 1] for the logarithm), turned into normals by
 * Box–Muller, both values used. Bytes are drawn in blocks of 64 KiB.
 */
export function drawSecretNoise(sigma: number, length: number): Float64Array {
  if (!(sigma > 0 && Number.isFinite(sigma))) throw new RangeError(`sigma must be a finite number > 0, got ${sigma}`);
  if (!(Number.isInteger(length) && length >= 0)) throw new RangeError(`length must be a whole number >= 0, got ${length}`);
  const out = new Float64Array(length);
  const source = new UniformSource();
  for (let i = 0; i < length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - source.next()));
    const t = 2 * Math.PI * source.next();
    out[i] = sigma * r * Math.cos(t);
    if (i + 1 < length) out[i + 1] = sigma * r * Math.sin(t);
  }
  return out;
}

/** Uniforms in [0, 1) with 53 bits from crypto.randomBytes. */
class UniformSource {
  private buf = Buffer.alloc(0);
  private at = 0;

  next(): number {
    if (this.at + 8 > this.buf.length) {
      this.buf = crypto.randomBytes(65536);
      this.at = 0;
    }
    const hi = this.buf.readUInt32LE(this.at) >>> 11;
    const lo = this.buf.readUInt32LE(this.at + 4);
    this.at += 8;
    return (hi * 2 ** 32 + lo) / 2 ** 53;
  }
}

/** A fresh 32-byte salt for the noise's commitment. */
export function drawNoiseSalt(): Uint8Array {
  return new Uint8Array(crypto.randomBytes(32));
}

export const NOISE_COMMITMENT_DOMAIN = 'forgetme-noise-commitment-v1\n';

/**
 * A hiding, binding commitment to the noise: SHA-256(domain ‖ salt ‖ b as little-endian float64).
 * Without the 32-byte salt (kept sealed with b) it reveals nothing of b; with it, anyone holding b
 * can check that b is the noise a certificate committed to.
 */
export function noiseCommitment(noise: Float64Array, salt: Uint8Array): string {
  if (salt.length !== 32) throw new RangeError(`the noise salt must be 32 bytes, got ${salt.length}`);
  return crypto
    .createHash('sha256')
    .update(NOISE_COMMITMENT_DOMAIN)
    .update(salt)
    .update(new Uint8Array(noise.buffer, noise.byteOffset, noise.byteLength))
    .digest('hex');
}
