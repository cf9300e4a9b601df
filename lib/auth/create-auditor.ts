import crypto from 'node:crypto';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { isUniqueViolation } from '@/db/errors';
import { users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors/app-error';
import { fromZodError } from '@/lib/errors/from-zod';
import { hashPassword } from './password';
import { emailSchema, nameSchema } from './schemas';

const schema = z.strictObject({ email: emailSchema, name: nameSchema });

/** An operator creates a platform auditor (read-only across every organisation) with a random password. */
export async function createAuditor(input: z.input<typeof schema>): Promise<{ id: string; email: string; password: string }> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw fromZodError(parsed.error);
  const password = crypto.randomBytes(15).toString('base64url');
  const passwordHash = await hashPassword(password);
  const db = await getDb();
  try {
    const id = await db.transaction(async (tx) => {
      const [u] = await tx
        .insert(users)
        .values({ ...parsed.data, passwordHash, kind: 'auditor', emailVerifiedAt: new Date() })
        .returning({ id: users.id });
      await recordAuditEvent(tx, {
        actor: { type: 'system' },
        event: { action: 'user.created_by_operator', subject: { type: 'user', id: u.id }, data: { kind: 'auditor' } },
      });
      return u.id;
    });
    return { id, email: parsed.data.email, password };
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_key')) throw new AppError('email_taken', 'An account with this e-mail address already exists.');
    throw err;
  }
}
