'use client';

/** The console's calls to /api/v1 with the session cookie: JSON in, JSON out, errors as { code, message }. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: { method?: string; json?: unknown; form?: FormData } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  let body: BodyInit | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) body = init.form;
  const method = init.method ?? (body ? 'POST' : 'GET');
  if (method === 'POST') headers['idempotency-key'] = crypto.randomUUID();
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body });
  } catch {
    throw new ApiError('network', 'The server could not be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(data?.error?.code ?? 'internal', data?.error?.message ?? `The server answered ${res.status}.`);
  return data as T;
}
