import crypto from 'node:crypto';
import { getDb } from '@/db/client';
import { removalRequests } from '@/db/schema';
import { seedIndividual, seedPartner } from '@/db/seed/factories';
import { signCertificate } from '@/lib/certificates/sign-certificate';
import { exampleModelEntry } from './example-predicate';

/** Tests only: issues `count` real certificates (signed, logged) to one partner, each a leaf of the log; returns their ids. */
export async function issueCertificates(count: number): Promise<string[]> {
  const org = await seedPartner();
  const person = await seedIndividual();
  const db = await getDb();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const [req] = await db.insert(removalRequests).values({ userId: person.id, status: 'completed', submittedAt: new Date() }).returning();
    const certificateId = crypto.randomUUID();
    const weights = crypto.randomBytes(32).toString('hex');
    await signCertificate({
      certificateId,
      requestId: req.id,
      organizationId: org.organization.id,
      subject: [{ name: 'head', digest: { sha256: weights } }],
      predicate: {
        version: '2.0',
        certificateId,
        requestId: req.id,
        organization: { id: org.organization.id, name: org.organization.name },
        issuedAt: new Date().toISOString(),
        datasets: [],
        models: [exampleModelEntry(weights)],
        scope: 'test',
        software: 'test',
      },
    });
    ids.push(certificateId);
  }
  return ids;
}
