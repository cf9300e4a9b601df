import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { memberships, organizations, users } from '@/db/schema';
import { log } from '@/lib/log/logger';
import { seedDemoPartnerData } from './demo-partner-data';
import { seedAuditor, seedIndividual, seedMember, seedPartner } from './factories';

/** The demo accounts that `npm start` creates on the embedded default (also listed in README.md). */
export const DEMO_ACCOUNTS = {
  individual: { email: 'demo@forgetme.example', password: 'forgetme-demo', name: 'Demo Person' },
  partnerAdmin: { email: 'admin@facelab.example', password: 'forgetme-demo', name: 'Ada Admin' },
  compliance: { email: 'compliance@facelab.example', password: 'forgetme-demo', name: 'Carl Compliance' },
  auditor: { email: 'auditor@forgetme.example', password: 'forgetme-demo', name: 'Aud Itor' },
} as const;
export const DEMO_ORGANIZATION = 'FaceLab Demo';

/** Creates the demo accounts and the demo partner's training set and model once; does nothing when they exist. */
export async function seedDemo(): Promise<void> {
  const db = await getDb();
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_ACCOUNTS.individual.email));
  if (!existing) {
    await seedIndividual(DEMO_ACCOUNTS.individual);
    const { organization } = await seedPartner({ organizationName: DEMO_ORGANIZATION, admin: DEMO_ACCOUNTS.partnerAdmin });
    await seedMember({ organizationId: organization.id, role: 'compliance', ...DEMO_ACCOUNTS.compliance });
    await seedAuditor(DEMO_ACCOUNTS.auditor);
    log.info('demo data created');
  }
  const [org] = await db
    .select({ id: organizations.id, adminId: users.id })
    .from(organizations)
    .innerJoin(memberships, eq(memberships.organizationId, organizations.id))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(organizations.name, DEMO_ORGANIZATION), eq(users.email, DEMO_ACCOUNTS.partnerAdmin.email)));
  if (org) await seedDemoPartnerData(org.id, org.adminId);
  log.info('demo accounts (password for each: forgetme-demo)', {
    individual: DEMO_ACCOUNTS.individual.email,
    partnerAdmin: DEMO_ACCOUNTS.partnerAdmin.email,
    compliance: DEMO_ACCOUNTS.compliance.email,
    auditor: DEMO_ACCOUNTS.auditor.email,
  });
}
