import 'server-only';
import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { certificates, organizations, removalRequests } from '@/db/schema';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { deploymentEvidence } from '@/lib/deployments/deployment-evidence';
import { deploymentFindings } from '@/lib/deployments/verify-deployments';
import { getBundle } from './get-bundle';
import { noticeFor, predicateSchema, type Predicate } from './predicate';
import { renderCertificatePdf } from './render-pdf';

export function predicateOf(envelope: { payload: string }): Predicate {
  return predicateSchema.parse(JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')).predicate);
}

/** The certificates of a person's request (only theirs). */
export async function listRequestCertificates(userId: string, requestId: string) {
  const db = await getDb();
  const rows = await db
    .select({
      id: certificates.id,
      issuedAt: certificates.issuedAt,
      organization: organizations.name,
      leafIndex: certificates.leafIndex,
      envelope: certificates.envelope,
    })
    .from(certificates)
    .innerJoin(removalRequests, eq(removalRequests.id, certificates.requestId))
    .innerJoin(organizations, eq(organizations.id, certificates.organizationId))
    .where(and(eq(certificates.requestId, requestId), eq(removalRequests.userId, userId)));
  return Promise.all(
    rows.map(async ({ envelope, ...c }) => ({
      ...c,
      notice: noticeFor(envelope),
      deployments: deploymentFindings(predicateOf(envelope), await deploymentEvidence(c.id)),
    })),
  );
}

/** Who may download a certificate: the person it is for, or (later) the organisation's compliance officers. */
export async function requireCertificateAccess(userId: string, certificateId: string) {
  const db = await getDb();
  const [c] = await db
    .select({ id: certificates.id, envelope: certificates.envelope })
    .from(certificates)
    .innerJoin(removalRequests, eq(removalRequests.id, certificates.requestId))
    .where(and(eq(certificates.id, certificateId), eq(removalRequests.userId, userId)));
  if (!c) throw new AppError('not_found', 'No certificate with this id is yours.');
  return c;
}

export async function certificatePdf(certificateId: string): Promise<Uint8Array> {
  const bundle = await getBundle(certificateId);
  return renderCertificatePdf(bundle, predicateOf(bundle.envelope), `${env().publicUrl}/verify`);
}
