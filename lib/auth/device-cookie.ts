import 'server-only';
import crypto from 'node:crypto';
import { getAuthSecret } from '@/lib/crypto/secrets';

/**
 * The trusted-device cookie (OWASP's "device cookie" defence against lockout): set when a browser
 * signs in, it names the account and a random device id under an HMAC, so a later sign-in from
 * that browser is throttled on its own failures only (lib/auth/sign-in-throttle.ts).
 */
export const DEVICE_COOKIE = 'forgetme-device';
export const DEVICE_COOKIE_DAYS = 365;

function mac(payload: string): string {
  const key = crypto.createHash('sha256').update(`forgetme device cookie\0${getAuthSecret()}`).digest();
  return crypto.createHmac('sha256', key).update(payload).digest('base64url');
}

export function issueDeviceToken(userId: string): string {
  const payload = `v1.${userId}.${crypto.randomBytes(16).toString('base64url')}`;
  return `${payload}.${mac(payload)}`;
}

/** The device id if `token` is a genuine device cookie for `userId`, else null. */
export function trustedDeviceFor(token: string | null | undefined, userId: string): string | null {
  if (!token || token.length > 200) return null;
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1' || parts[1] !== userId) return null;
  const payload = parts.slice(0, 3).join('.');
  const expected = Buffer.from(mac(payload));
  const given = Buffer.from(parts[3]);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? parts[2] : null;
}
