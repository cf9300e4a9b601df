import type { Metadata } from 'next';
import { openApiDocument } from '@/lib/api/openapi';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { env } from '@/lib/config/env';

export const metadata: Metadata = { title: 'API reference' };

type Op = {
  operationId: string;
  summary: string;
  description?: string;
  'x-scopes': string[];
  parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { description?: string; content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
};

const METHOD_STYLE: Record<string, string> = { get: 'bg-blue-100 text-blue-900', post: 'bg-green-100 text-green-900', patch: 'bg-amber-100 text-amber-900', delete: 'bg-red-100 text-red-900' };

/** The OpenAPI document, rendered: the same document /api/v1/openapi.json serves. */
export default async function ApiReferencePage() {
  await requirePageUser(PERSONA_ROLES.partner, '/partner/api');
  const doc = openApiDocument(env().publicUrl) as { info: { description: string }; servers: { url: string }[]; paths: Record<string, Record<string, Op>> };
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  const tags = ['Datasets', 'Models', 'Removal requests', 'Webhooks', 'Compliance'];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">API reference</h1>
      {doc.info.description.split('\n\n').map((p, i) => (
        <p key={i} className="text-gray-700">
          {p}
        </p>
      ))}
      <p className="text-sm">
        Base URL <code>{doc.servers[0].url}</code> · machine-readable: <a className="underline" href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1)
      </p>
      <nav aria-label="Operations" className="text-sm">
        {tags.map((t) => (
          <a key={t} href={`#${t.replace(' ', '-')}`} className="mr-4 underline">
            {t}
          </a>
        ))}
      </nav>
      {tags.map((tag) => (
        <section key={tag} id={tag.replace(' ', '-')} className="space-y-3">
          <h2 className="text-xl font-semibold">{tag}</h2>
          {ops
            .filter(({ op }) => (op as unknown as { tags: string[] }).tags.includes(tag))
            .map(({ path, method, op }) => (
              <details key={op.operationId} id={op.operationId} className="rounded-lg bg-white p-4 ring-1 ring-gray-200">
                <summary className="cursor-pointer">
                  <span className={`mr-2 rounded px-1.5 py-0.5 font-mono text-xs uppercase ${METHOD_STYLE[method]}`}>{method}</span>
                  <code className="text-sm">{path}</code> <span className="text-gray-700">{op.summary}</span>
                </summary>
                <div className="mt-3 space-y-3 text-sm">
                  {op.description ? <p>{op.description}</p> : null}
                  <p>
                    Scopes: <code>{op['x-scopes'].join(', ')}</code>
                  </p>
                  {op.parameters.length ? (
                    <table className="text-xs">
                      <caption className="text-left font-medium">Parameters</caption>
                      <tbody>
                        {op.parameters.map((p) => (
                          <tr key={`${p.in}-${p.name}`}>
                            <td className="pr-3 font-mono">{p.name}</td>
                            <td className="pr-3">{p.in}</td>
                            <td className="pr-3">{p.required ? 'required' : 'optional'}</td>
                            <td className="font-mono">{JSON.stringify(p.schema)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : null}
                  {op.requestBody
                    ? Object.entries(op.requestBody.content).map(([type, c]) => (
                        <div key={type}>
                          <p className="font-medium">Request body ({type})</p>
                          <pre className="max-h-72 overflow-auto rounded bg-gray-50 p-2 text-xs">{JSON.stringify(c.schema, null, 2)}</pre>
                        </div>
                      ))
                    : null}
                  {Object.entries(op.responses)
                    .filter(([s]) => Number(s) < 400)
                    .map(([status, r]) => (
                      <div key={status}>
                        <p className="font-medium">
                          {status}: {r.description}
                        </p>
                        {r.content
                          ? Object.entries(r.content).map(([type, c]) => (
                              <pre key={type} className="max-h-72 overflow-auto rounded bg-gray-50 p-2 text-xs">
                                {type}: {JSON.stringify(c.schema, null, 2)}
                              </pre>
                            ))
                          : null}
                      </div>
                    ))}
                  <p className="text-xs text-gray-600">Errors: 401, 403, 404, 409, 413, 422 as {'{ "error": { "code", "message" } }'}.</p>
                </div>
              </details>
            ))}
        </section>
      ))}
    </div>
  );
}
