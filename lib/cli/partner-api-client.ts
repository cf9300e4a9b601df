import { AppError, ERROR_CODES, type ErrorCode } from '@/lib/errors/app-error';

export type PartnerCall = <T>(method: string, path: string, init?: { json?: unknown; form?: FormData; key?: string }) => Promise<T>;

const isErrorCode = (c: unknown): c is ErrorCode => typeof c === 'string' && (ERROR_CODES as readonly string[]).includes(c);

/**
 * A caller of the partner API at `apiUrl` with an API key, for the CLI's partner commands: JSON or
 * multipart bodies, an optional Idempotency-Key, and the server's error (code and sentence) raised
 * as an AppError.
 */
export function partnerApi(apiUrl: string, apiKey: string): PartnerCall {
  return async <T>(method: string, p: string, init: { json?: unknown; form?: FormData; key?: string } = {}): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    if (init.key) headers['idempotency-key'] = init.key;
    let body: BodyInit | undefined;
    if (init.json) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else body = init.form;
    const res = await fetch(`${apiUrl}/api/v1${p}`, { method, headers, body });
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const code = data?.error?.code;
      throw new AppError(isErrorCode(code) ? code : 'internal', data?.error?.message ?? `The server answered ${res.status}.`, data?.error?.details);
    }
    return data as T;
  };
}
