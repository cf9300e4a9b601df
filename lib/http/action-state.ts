import { isAppError } from '@/lib/errors/app-error';
import { log } from '@/lib/log/logger';

/** What a server action returns to its form: nothing yet, success, or an error with a code. */
export type ActionState = {
  ok?: boolean;
  message?: string;
  error?: { code: string; message: string; fields?: Record<string, string> };
  /** What the person typed (never passwords), so a refused form keeps its input. */
  values?: Record<string, string>;
} | null;

/**
 * The one wrapper for server actions: runs the use case and maps its errors to form state
 * (field messages from zod issues), never leaking internals. Redirects pass through.
 */
export async function runAction(fn: () => Promise<ActionState | void>, echo?: Record<string, string>): Promise<ActionState> {
  const values = echo && Object.fromEntries(Object.entries(echo).filter(([k]) => !/password|token/i.test(k)));
  try {
    return (await fn()) ?? { ok: true };
  } catch (err) {
    if (err && typeof err === 'object' && 'digest' in err && String((err as { digest: unknown }).digest).startsWith('NEXT_')) throw err;
    if (isAppError(err)) {
      const issues = (err.details?.issues ?? []) as { field: string | null; message: string }[];
      const fields = Object.fromEntries(issues.filter((i) => i.field).map((i) => [i.field, i.message]));
      return { error: { code: err.code, message: err.message, fields }, values };
    }
    log.error('unhandled error in server action', { error: err });
    return { error: { code: 'internal', message: 'Something went wrong on our side. Please try again.' }, values };
  }
}

/** The named text fields of a form (a missing field is the empty string, which zod then refuses). */
export function formFields<const N extends string>(form: FormData, names: readonly N[]): Record<N, string> {
  return Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? '')])) as Record<N, string>;
}
