import { z } from 'zod';
import { bundleCertificateId, bundleTreeSize } from '@/lib/certificates/bundle';
import { deploymentEvidenceSchema } from '@/lib/deployments/verify-deployments';
import type { Jwk, OnlineEvidence } from '@/lib/certificates/verify-bundle';
import { usageError } from './bundle-arg';

/** A JWKS as /.well-known/jwks.json publishes it; anything else is refused before it reaches the verifier. */
export const jwksSchema = z.object({
  keys: z.array(
    z.looseObject({
      kty: z.string(),
      kid: z.string().optional(),
      crv: z.string().optional(),
      x: z.string().optional(),
      nbf: z.number().optional(),
      exp: z.number().optional(),
    }),
  ),
});
const treeHeadSchema = z.object({ size: z.number().int().min(0), rootHash: z.string(), timestamp: z.string(), keyid: z.string(), signature: z.string() });
const latestSchema = z.object({ treeHead: treeHeadSchema.nullable() });
const consistencySchema = z.object({ hashes: z.array(z.string()) });
const refusalsSchema = z.object({ refusals: z.array(z.object({ witness: z.string(), refusedAt: z.string(), reason: z.string() })) });

/** Parses a JWKS from a file or a server's answer; `from` names it in the error. */
export function parseJwks(json: unknown, from: string): { keys: Jwk[] } {
  const parsed = jwksSchema.safeParse(json);
  if (!parsed.success) throw usageError(`${from} is not a JWKS (a JSON object with "keys"): give the platform's /.well-known/jwks.json`);
  return parsed.data;
}

/**
 * The keys, the log's latest signed head, a consistency proof from the bundle's head and the
 * partner's deployment acknowledgements of the certificate and the refusals its witnesses reported,
 * fetched from the platform at `url`.
 * Every answer is checked for shape; the verifier checks the rest.
 */
export async function fetchEvidence(url: string, bundle: unknown): Promise<{ jwks: { keys: Jwk[] }; online: OnlineEvidence | undefined }> {
  const base = url.replace(/\/$/, '');
  const get = async <T>(p: string, schema: z.ZodType<T>): Promise<T> => {
    const r = await fetch(`${base}${p}`).catch((err: Error) => {
      throw usageError(`${base}${p} cannot be reached (${err.message})`);
    });
    if (!r.ok) throw usageError(`${base}${p} answered ${r.status}: is ${base} a forgetme platform?`);
    const parsed = schema.safeParse(await r.json().catch(() => null));
    if (!parsed.success) throw usageError(`${base}${p} did not answer as a forgetme platform does`);
    return parsed.data;
  };
  const jwks = parseJwks(await get('/.well-known/jwks.json', z.unknown()), `${base}/.well-known/jwks.json`);
  const latest = (await get('/api/v1/transparency/tree-heads/latest', latestSchema)).treeHead;
  if (!latest) return { jwks, online: undefined };
  const size = bundleTreeSize(bundle);
  const consistency =
    size !== null && size <= latest.size ? (await get(`/api/v1/transparency/consistency?from=${size}&to=${latest.size}`, consistencySchema)).hashes : [];
  const id = bundleCertificateId(bundle);
  const deployments = id ? await get(`/api/v1/transparency/certificates/${id}/deployments`, deploymentEvidenceSchema) : undefined;
  // A platform from before witnesses reported refusals has no such route: nothing is then reported, as with an empty list.
  const refusals = await get('/api/v1/transparency/log/refusals', refusalsSchema)
    .then((r) => r.refusals.map(({ witness, refusedAt, reason }) => ({ witness, refusedAt, reason })))
    .catch(() => undefined);
  return { jwks, online: { latest, consistency, deployments, refusals } };
}
