import { getBundle } from '@/lib/certificates/get-bundle';
import { predicateOf } from '@/lib/certificates/person-certificates';
import type { Predicate } from '@/lib/certificates/predicate';
import type { Verification } from '@/lib/certificates/verify-bundle';
import { verifyHere } from '@/lib/certificates/verify-here';
import { requireCertificateInScope } from './certificates-query';
import type { ComplianceScope } from './scope';

/**
 * A certificate as stored, read back and verified now: the facts come from the signed payload (if
 * it still parses), the checks from the same verifier as /verify and the CLI, so a stored
 * certificate edited after signing shows as a failed check.
 */
export async function certificateDetail(
  scope: ComplianceScope,
  id: string,
): Promise<{ id: string; requestId: string; issuedAt: string; predicate: Predicate | null; verification: Verification }> {
  const c = await requireCertificateInScope(scope, id);
  const bundle = await getBundle(id);
  const verification = await verifyHere(JSON.parse(JSON.stringify(bundle)));
  let predicate: Predicate | null = null;
  try {
    predicate = predicateOf(c.envelope);
  } catch {
    predicate = null;
  }
  return { id: c.id, requestId: c.requestId, issuedAt: c.issuedAt.toISOString(), predicate, verification };
}
