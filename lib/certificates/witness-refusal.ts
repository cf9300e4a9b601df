import crypto from 'node:crypto';
import { publicKeyFromRaw, type NoteKey } from './signed-note';

/**
 * A witness's signed refusal of a checkpoint: it reports to the log, with the checkpoint exactly
 * as served (the log's own signed note), why it would not cosign it. Signed with the witness's
 * cosigning key over its own header, which no checkpoint and no cosigned message
 * ("cosignature/v1\n…") starts with, so one can never pass for another.
 */
export type Refusal = { witness: string; at: number; reason: string; checkpoint: string };

const HEADER = 'forgetme-witness-refusal/v1\n';

export function refusalMessage(r: Refusal): Buffer {
  return Buffer.from(`${HEADER}${r.witness}\n${r.at}\n${r.reason.replace(/\n/g, ' ')}\n${r.checkpoint}`, 'utf8');
}

export function signRefusal(r: Refusal, privateKey: crypto.KeyObject): string {
  return crypto.sign(null, refusalMessage(r), privateKey).toString('base64');
}

export function verifyRefusal(r: Refusal, signature: string, key: NoteKey): boolean {
  try {
    return key.name === r.witness && crypto.verify(null, refusalMessage(r), publicKeyFromRaw(key.publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
