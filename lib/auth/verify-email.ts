import { and, eq, isNull } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { emailTokens, users } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors/app-error';
import { tokenSchema } from './schemas';
import { hashToken } from './tokens';

/** Consumes a verification link: marks the address verified; an expired or used link is refused. */
export async function verifyEmail({ token }: { token: string }): Promise<{ userId: string; email: string }> {
  if (!tokenSchema.safeParse(token).success) throw new AppError('token_invalid', 'This verification link is not valid. Check that you copied it whole.');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(emailTokens)
      .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, 'verify_email')))
      .for('update');
    if (!row) throw new AppError('token_invalid', 'This verification link is not valid. Check that you copied it whole.');
    if (row.usedAt) throw new AppError('token_used', 'This verification link was already used. Sign in, or ask for a new link.');
    if (row.expiresAt.getTime() < Date.now()) throw new AppError('token_expired', 'This verification link has expired. Sign in to ask for a new one.');
    const claimed = await tx
      .update(emailTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(emailTokens.id, row.id), isNull(emailTokens.usedAt)))
      .returning({ id: emailTokens.id });
    if (!claimed.length) throw new AppError('token_used', 'This verification link was already used. Sign in, or ask for a new link.');
    const [user] = await tx
      .update(users)
      .set({ emailVerifiedAt: new Date() })
      .where(and(eq(users.id, row.userId), isNull(users.emailVerifiedAt)))
      .returning({ id: users.id, email: users.email });
    const verified = user ?? (await tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, row.userId)))[0];
    if (user) {
      await recordAuditEvent(tx, {
        actor: { type: 'user', id: user.id },
        event: { action: 'user.email_verified', subject: { type: 'user', id: user.id }, data: {} },
      });
    }
    return { userId: verified.id, email: verified.email };
  });
}
