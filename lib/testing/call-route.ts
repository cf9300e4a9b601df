/** Tests only: calls an App Router route handler as the partner API would be called, with an API key. */
type Params = Record<string, string>;
export type Handler = (req: Request, ctx?: { params?: Promise<Params> }) => Promise<Response>;

const BASE = 'http://localhost/api/v1';

export function callRoute(
  handler: Handler,
  opts: { method?: string; path: string; key: string; params?: Params; json?: unknown; form?: FormData; headers?: Record<string, string> },
): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${opts.key}`, ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) body = opts.form;
  return handler(new Request(`${BASE}${opts.path}`, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body }), {
    params: Promise.resolve(opts.params ?? {}),
  });
}
