import { eq, inArray, or, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { signInFailures } from '@/db/schema';

/**
 * Sign-in throttling that an attacker cannot turn against the owner: failures are counted per
 * key, and each failure past a key's free allowance doubles the wait before that key may try
 * again (1 s, 2 s, 4 s … up to 15 minutes), instead of locking the account. The keys are chosen so
 * that an attacker's failures weigh on the attacker's own network and, for a trusted device (one
 * that signed in to this account before), never on the owner: see `signInKeys`.
 */
export type ThrottleKey = { key: string; free: number };

export const MAX_WAIT_SECONDS = 15 * 60;
/** A key with no failure for this long starts again from zero. */
export const FORGET_AFTER_SECONDS = 24 * 3600;

/** Seconds to wait after `failures` failures with `free` free ones (0 while within the allowance). */
export function waitSeconds(failures: number, free: number): number {
  const over = failures - free;
  return over <= 0 ? 0 : Math.min(MAX_WAIT_SECONDS, 2 ** (over - 1));
}

/**
 * The keys one attempt is counted against. A trusted device counts only against itself: the
 * attacker, who does not hold the owner's device cookie, cannot slow the owner's own browser.
 * Otherwise: the account from this network (5 free), the account from anywhere (20 free: a
 * distributed guesser), and the network across every account (20 free: password spraying).
 */
export function signInKeys(opts: { email: string; network: string; trustedDevice: string | null }): ThrottleKey[] {
  if (opts.trustedDevice) return [{ key: `device:${opts.trustedDevice}`, free: 5 }];
  return [
    { key: `account-network:${opts.email}:${opts.network}`, free: 5 },
    { key: `account:${opts.email}`, free: 20 },
    { key: `network:${opts.network}`, free: 20 },
  ];
}

/** The longest wait any of `keys` is still under, in whole seconds (0: may try now). */
export async function throttleWait(keys: ThrottleKey[], now = new Date()): Promise<number> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(signInFailures)
    .where(
      inArray(
        signInFailures.key,
        keys.map((k) => k.key),
      ),
    );
  let wait = 0;
  for (const row of rows) {
    const since = (now.getTime() - row.lastFailureAt.getTime()) / 1000;
    if (since >= FORGET_AFTER_SECONDS) continue;
    const free = keys.find((k) => k.key === row.key)?.free ?? 0;
    wait = Math.max(wait, Math.ceil(waitSeconds(row.failures, free) - since));
  }
  return wait;
}

/** Counts one failure against every key (one statement; a key forgotten after a day starts at 1). */
export async function recordFailure(keys: ThrottleKey[]): Promise<void> {
  const db = await getDb();
  const stale = sql`${signInFailures.lastFailureAt} <= now() - make_interval(secs => ${FORGET_AFTER_SECONDS})`;
  await db
    .insert(signInFailures)
    .values(keys.map((k) => ({ key: k.key, failures: 1, lastFailureAt: sql`now()` })))
    .onConflictDoUpdate({
      target: signInFailures.key,
      set: { failures: sql`case when ${stale} then 1 else ${signInFailures.failures} + 1 end`, lastFailureAt: sql`now()` },
    });
}

/** Forgets the failures of `keys` (a successful sign-in clears its account's keys, not the network's). */
export async function clearFailures(keys: string[]): Promise<void> {
  if (!keys.length) return;
  const db = await getDb();
  await db.delete(signInFailures).where(inArray(signInFailures.key, keys));
}

/** Forgets every failure counted against an account, from any network (a password reset). */
export async function clearAccountFailures(email: string): Promise<void> {
  const db = await getDb();
  await db
    .delete(signInFailures)
    .where(or(eq(signInFailures.key, `account:${email}`), sql`starts_with(${signInFailures.key}, ${`account-network:${email}:`})`));
}
