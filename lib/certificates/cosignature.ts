import crypto from 'node:crypto';
import { noteKeyId, publicKeyFromRaw, rawPublicKey, validKeyName, type NoteSignature } from './signed-note';

/**
 * C2SP tlog-cosignature v1, Ed25519 (signature type 0x04): a witness's statement that, at a time,
 * the checkpoint is the largest consistent one it has seen of the log. The signature line's blob
 * is key ID ‖ u64 big-endian timestamp ‖ Ed25519 signature over
 * `cosignature/v1\ntime <t>\n<checkpoint note text>`. Written from the specification; the tests
 * verify a cosignature a public witness made on a real log's checkpoint.
 */
export const COSIGNATURE_TYPE = 0x04;

export function cosignedMessage(checkpointText: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`, 'utf8');
}

/** The cosignature line of `name`'s key over a checkpoint's note text, at `timestamp` (POSIX seconds). */
export function cosignatureLine(checkpointText: string, name: string, privateKey: crypto.KeyObject, timestamp: number): string {
  if (!validKeyName(name)) throw new Error(`"${name}" is not a valid key name`);
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestamp));
  const sig = crypto.sign(null, cosignedMessage(checkpointText, timestamp), privateKey);
  const id = noteKeyId(name, rawPublicKey(privateKey), COSIGNATURE_TYPE);
  return `\u2014 ${name} ${Buffer.concat([id, time, sig]).toString('base64')}\n`;
}

/** The timestamp of a cosignature by `key` over the checkpoint text, or null when it is not one or does not verify. */
export function verifyCosignature(checkpointText: string, s: NoteSignature, key: { name: string; publicKey: Buffer }): number | null {
  if (s.name !== key.name || !noteKeyId(key.name, key.publicKey, COSIGNATURE_TYPE).equals(s.keyId) || s.signature.length !== 72) return null;
  const timestamp = s.signature.readBigUInt64BE(0);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const t = Number(timestamp);
  return crypto.verify(null, cosignedMessage(checkpointText, t), publicKeyFromRaw(key.publicKey), s.signature.subarray(8)) ? t : null;
}
