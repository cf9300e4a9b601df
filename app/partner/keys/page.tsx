import type { Metadata } from 'next';
import { listApiKeys } from '@/lib/api-keys/list-api-keys';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { CreateKeyForm } from './create-key-form';
import { RevokeButton } from './revoke-button';
import { TableFrame } from '@/app/_components/table-frame';

export const metadata: Metadata = { title: 'API keys' };

const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : 'never');

export default async function KeysPage() {
  const user = await requirePageUser(PERSONA_ROLES.partner, '/partner/keys');
  const keys = await listApiKeys(user.organization!.id);
  const admin = user.organization!.role === 'admin';
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">API keys</h1>
      <p className="text-gray-700">
        Keys authenticate your systems to the{' '}
        <a className="underline" href="/partner/api">
          partner API
        </a>{' '}
        as <code>Authorization: Bearer fm_…</code>. Only a hash is stored: a key is shown once, when it is created.
      </p>
      <TableFrame>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">API keys of the organisation</caption>
          <thead className="bg-gray-50">
            <tr>
              <th scope="col" className="px-4 py-2">
                Name
              </th>
              <th scope="col" className="px-4 py-2">
                Key
              </th>
              <th scope="col" className="px-4 py-2">
                Scopes
              </th>
              <th scope="col" className="px-4 py-2">
                Last used
              </th>
              <th scope="col" className="px-4 py-2">
                Status
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-4 py-3 text-gray-600">
                  No keys yet.
                </td>
              </tr>
            ) : null}
            {keys.map((k) => (
              <tr key={k.id} className="border-t border-gray-100 align-top">
                <td className="px-4 py-2">
                  {k.name}
                  <div className="text-xs text-gray-500">
                    by {k.createdBy}, {when(k.createdAt)}
                  </div>
                </td>
                <td className="px-4 py-2 font-mono text-xs">fm_{k.prefix}_…</td>
                <td className="px-4 py-2 text-xs">{k.scopes.join(', ')}</td>
                <td className="px-4 py-2 text-xs">{when(k.lastUsedAt)}</td>
                <td className="px-4 py-2">
                  {k.revokedAt ? (
                    <span className="text-gray-500">Revoked {when(k.revokedAt)}</span>
                  ) : admin ? (
                    <RevokeButton keyId={k.id} name={k.name} />
                  ) : (
                    'Active'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      {admin ? <CreateKeyForm /> : <p className="text-sm text-gray-600">Only administrators create and revoke keys.</p>}
    </div>
  );
}
