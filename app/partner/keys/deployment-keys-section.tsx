import type { DeploymentKeyView } from '@/lib/deployments/deployment-keys';
import { EmptyRow, TableFrame, TableHead } from '@/app/_components/table-frame';
import { RegisterDeploymentKeyForm } from './register-deployment-key-form';
import { KeyStatus } from './revoke-button';

const when = (iso: string) => iso.replace('T', ' ').slice(0, 16) + ' UTC';

/** The organisation's Ed25519 keys that sign deployment acknowledgements: list, register, revoke (administrators). */
export function DeploymentKeysSection({ keys, admin }: { keys: DeploymentKeyView[]; admin: boolean }) {
  return (
    <section id="deployment-keys" className="space-y-4" aria-labelledby="deployment-keys-title">
      <h2 id="deployment-keys-title" className="text-xl font-bold">
        Deployment keys
      </h2>
      <p className="text-gray-700">
        Your own Ed25519 keys, which sign that a model version runs in production (<code>forgetme partner acknowledge</code>). forgetme keeps only the public
        half. The people whose photos a version removed, and anyone they show the certificate to, then see &ldquo;deployed by the partner, signed&rdquo;. A
        revoked key signs nothing new; what it signed stays valid.
      </p>
      <TableFrame>
        <table className="w-full text-left text-sm">
          <TableHead caption="Deployment signing keys of the organisation" columns={['Name', 'Key id', 'Status']} />
          <tbody>
            {keys.length === 0 ? <EmptyRow columns={3}>No deployment keys yet.</EmptyRow> : null}
            {keys.map((k) => (
              <tr key={k.id} className="border-t border-gray-100 align-top">
                <td className="px-4 py-2">
                  {k.name}
                  <div className="text-xs text-gray-500">registered {when(k.createdAt)}</div>
                </td>
                <td className="break-all px-4 py-2 font-mono text-xs">{k.kid}</td>
                <td className="px-4 py-2">
                  <KeyStatus keyId={k.id} name={`deployment key ${k.name}`} revokedAt={k.revokedAt} admin={admin} deployment />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      {admin ? <RegisterDeploymentKeyForm /> : <p className="text-sm text-gray-600">Only administrators register and revoke deployment keys.</p>}
    </section>
  );
}
