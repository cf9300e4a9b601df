import type { Metadata } from 'next';
import { listApiKeys } from '@/lib/api-keys/list-api-keys';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { listDeploymentKeys } from '@/lib/deployments/deployment-keys';
import { CreateKeyForm } from './create-key-form';
import { DeploymentKeysSection } from './deployment-keys-section';
import { KeyStatus } from './revoke-button';
import { EmptyRow, TableFrame, TableHead } from '@/app/_components/table-frame';

export const metadata: Metadata = { title: 'API keys' };

const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : 'never');

export default async function KeysPage() {
  const user = await requirePageUser(PERSONA_ROLES.partner, '/partner/keys');
  const [keys, deploymentKeys] = await Promise.all([listApiKeys(user.organization!.id), listDeploymentKeys(user.organization!.id)]);
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
          <TableHead caption="API keys of the organisation" columns={['Name', 'Key', 'Scopes', 'Last used', 'Status']} />
          <tbody>
            {keys.length === 0 ? <EmptyRow columns={5}>No keys yet.</EmptyRow> : null}
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
                  <KeyStatus keyId={k.id} name={k.name} revokedAt={k.revokedAt?.toISOString() ?? null} admin={admin} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      {admin ? <CreateKeyForm /> : <p className="text-sm text-gray-600">Only administrators create and revoke keys.</p>}
      <DeploymentKeysSection keys={deploymentKeys} admin={admin} />
    </div>
  );
}
