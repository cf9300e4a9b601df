import { parseCheckpoint } from './checkpoint';
import { COSIGNATURE_TYPE, verifyCosignature } from './cosignature';
import { verifyConsistency } from './merkle';
import { openNote, parseNote, parseVerifierKey, type NoteKey } from './signed-note';

/** Which witnesses a verifier trusts (cosigner keys, type 0x04) and how many of them must have cosigned. */
export type WitnessPolicy = { keys: NoteKey[]; quorum: number };

export function witnessPolicy(vkeys: string[], quorum: number): WitnessPolicy {
  return { keys: vkeys.map((v) => parseVerifierKey(v, COSIGNATURE_TYPE)), quorum };
}

/** What a bundle carries once a witness has cosigned a checkpoint that includes it: that checkpoint and a consistency proof to it. */
export type Witnessed = { checkpoint: string; consistency: string[] };

/**
 * Checks a witnessed checkpoint against a bundle's tree head: signed by the log (a published key
 * under its origin), a consistency proof from the head to it, and the cosignatures of the policy's
 * witnesses, counted against its quorum. Without a policy (quorum 0) the cosigners are listed, not trusted.
 */
export function checkWitnessed(
  w: Witnessed,
  head: { size: number; rootHash: string },
  logKeys: Buffer[],
  policy: WitnessPolicy,
): { ok: boolean; detail: string; cosigners: { name: string; at: number }[] } {
  try {
    const { text, signatures } = parseNote(w.checkpoint);
    const c = parseCheckpoint(text);
    openNote(
      w.checkpoint,
      logKeys.map((publicKey) => ({ name: c.origin, publicKey })),
    );
    const consistent =
      c.size >= head.size &&
      verifyConsistency(
        head.size,
        c.size,
        w.consistency.map((h) => Buffer.from(h, 'hex')),
        Buffer.from(head.rootHash, 'hex'),
        c.rootHash,
      );
    if (!consistent) {
      return {
        ok: false,
        cosigners: [],
        detail: `The witnessed checkpoint (size ${c.size}) is not an extension of the certificate's log head: the log forked.`,
      };
    }
    const cosigners: { name: string; at: number }[] = [];
    for (const key of policy.keys) {
      const at = signatures.map((s) => verifyCosignature(text, s, key)).find((t) => t !== null);
      if (at !== undefined && at !== null) cosigners.push({ name: key.name, at });
    }
    const names = cosigners.map((x) => `${x.name} (${new Date(x.at * 1000).toISOString()})`).join(', ');
    if (!policy.quorum) {
      const claimed = signatures.filter((s) => s.name !== c.origin).map((s) => s.name);
      return {
        ok: true,
        cosigners,
        detail:
          `Checkpoint of size ${c.size} extends the certificate's head; ` +
          `cosigned by ${claimed.join(', ') || 'no one'} (no witness policy given: not checked).`,
      };
    }
    const ok = cosigners.length >= policy.quorum;
    return {
      ok,
      cosigners,
      detail: ok
        ? `Checkpoint of size ${c.size} extends the certificate's head and is cosigned by ` +
          `${cosigners.length} of ${policy.keys.length} trusted witnesses: ${names}.`
        : `Only ${cosigners.length} of the ${policy.quorum} required witness cosignatures verify${names ? ` (${names})` : ''}.`,
    };
  } catch (err) {
    return { ok: false, cosigners: [], detail: `The witnessed checkpoint does not verify: ${(err as Error).message}.` };
  }
}
