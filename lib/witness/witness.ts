import crypto from 'node:crypto';
import { z } from 'zod';
import { AppError } from '@/lib/errors/app-error';
import { parseCheckpoint } from '@/lib/certificates/checkpoint';
import { COSIGNATURE_TYPE, cosignatureLine } from '@/lib/certificates/cosignature';
import { verifyConsistency } from '@/lib/certificates/merkle';
import { openNote, parseVerifierKey, privateKeyFromSeed, rawPublicKey, verifierKey } from '@/lib/certificates/signed-note';
import { signRefusal } from '@/lib/certificates/witness-refusal';

/**
 * `forgetme witness`: an independent cosigner of the transparency log (c2sp.org/tlog-cosignature).
 * Its state is its own file: its key, the log it watches (address and the log's verifier key), the
 * last checkpoint it cosigned, and every refusal. Each round it fetches the log's checkpoint, checks
 * the log's signature and that the checkpoint extends the last one it saw (RFC 9162 consistency
 * proof), and only then cosigns and hands the cosignature to the log. A checkpoint that is smaller,
 * of the same size with another root, or not consistent is refused, recorded, reported to the log
 * (signed, shown on its pages) and never cosigned.
 */
export const witnessStateSchema = z.object({
  name: z.string(),
  seed: z.string().describe('The 32-byte Ed25519 seed, base64: the state file is secret'),
  url: z.string(),
  logKey: z.string().describe("The log's verifier key (origin+id+base64, type 0x01)"),
  last: z.object({ size: z.number().int(), root: z.string(), at: z.string() }).nullable(),
  refusals: z.array(z.object({ at: z.string(), reason: z.string(), checkpoint: z.string() })),
});
export type WitnessState = z.infer<typeof witnessStateSchema>;

export type Fetcher = (url: string, init?: RequestInit) => Promise<Response>;
export type Outcome =
  { event: 'cosigned'; size: number; accepted: boolean; answer: string } | { event: 'refused'; reason: string; reported: boolean; answer: string };

export function newWitnessState(o: { name: string; url: string; logKey: string }): WitnessState {
  parseVerifierKey(o.logKey);
  return { ...o, url: o.url.replace(/\/$/, ''), seed: crypto.randomBytes(32).toString('base64'), last: null, refusals: [] };
}

/** The witness's verifier key (type 0x04), for the log's FORGETME_WITNESSES and for verifiers' policies. */
export function witnessVerifierKey(s: WitnessState): string {
  return verifierKey(s.name, rawPublicKey(privateKeyFromSeed(Buffer.from(s.seed, 'base64'))), COSIGNATURE_TYPE);
}

/** One round: fetch, check, cosign and hand in, or refuse. Returns the new state (the caller saves it) and what happened. */
export async function witnessOnce(state: WitnessState, fetcher: Fetcher, now = Date.now()): Promise<{ state: WitnessState; outcome: Outcome }> {
  const base = `${state.url}/api/v1/transparency/log`;
  const res = await fetcher(`${base}/checkpoint`);
  if (!res.ok) throw new AppError('unavailable', `${base}/checkpoint answered ${res.status}: nothing was cosigned.`);
  const note = await res.text();
  const logKey = parseVerifierKey(state.logKey);
  // A refusal is kept in the state file and reported to the log, signed, for its pages; a log that drops it cannot make the witness cosign.
  const refuse = async (reason: string): Promise<{ state: WitnessState; outcome: Outcome }> => {
    const refusal = { witness: state.name, at: Math.floor(now / 1000), reason, checkpoint: note };
    const signature = signRefusal(refusal, privateKeyFromSeed(Buffer.from(state.seed, 'base64')));
    const sent = await fetcher(`${base}/refusals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...refusal, signature }),
    }).catch((err: Error) => new Response(err.message, { status: 599 }));
    return {
      state: { ...state, refusals: [...state.refusals, { at: new Date(now).toISOString(), reason, checkpoint: note }] },
      outcome: { event: 'refused', reason, reported: sent.ok, answer: (await sent.text()).slice(0, 300) },
    };
  };
  let text: string;
  try {
    text = openNote(note, [logKey]).text;
  } catch (err) {
    return refuse(`the checkpoint is not signed by the log's key: ${(err as Error).message}`);
  }
  const c = parseCheckpoint(text);
  if (c.origin !== logKey.name) return refuse(`the checkpoint's origin is ${c.origin}, not ${logKey.name}`);
  const last = state.last;
  if (last) {
    const lastRoot = Buffer.from(last.root, 'base64');
    if (c.size < last.size) return refuse(`the log shows size ${c.size}, smaller than the size ${last.size} this witness cosigned: a rollback`);
    if (c.size === last.size && !c.rootHash.equals(lastRoot)) {
      return refuse(`two checkpoints of size ${c.size} with different roots: the log forked`);
    }
    if (c.size > last.size) {
      const proof = await fetcher(`${state.url}/api/v1/transparency/consistency?from=${last.size}&to=${c.size}`);
      const hashes = proof.ok ? ((await proof.json()) as { hashes?: string[] }).hashes : undefined;
      const ok =
        Array.isArray(hashes) &&
        verifyConsistency(
          last.size,
          c.size,
          hashes.map((h) => Buffer.from(h, 'hex')),
          lastRoot,
          c.rootHash,
        );
      if (!ok)
        return refuse(`the checkpoint of size ${c.size} is not consistent with the one of size ${last.size} this witness cosigned: the log was rewritten`);
    }
  }
  const line = cosignatureLine(text, state.name, privateKeyFromSeed(Buffer.from(state.seed, 'base64')), Math.floor(now / 1000));
  const sent = await fetcher(`${base}/cosignatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ checkpoint: note, cosignature: line }),
  });
  const next = { ...state, last: { size: c.size, root: c.rootHash.toString('base64'), at: new Date(now).toISOString() } };
  return { state: next, outcome: { event: 'cosigned', size: c.size, accepted: sent.ok, answer: (await sent.text()).slice(0, 300) } };
}
