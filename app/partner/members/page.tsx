import type { Metadata } from 'next';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { listMembers } from '@/lib/orgs/list-members';
import { InviteForm } from './invite-form';
import { TableFrame } from '@/app/_components/table-frame';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage() {
  const user = await requirePageUser(PERSONA_ROLES.partner, '/partner/members');
  const { members, invitations } = await listMembers({ actorUserId: user.id, organizationId: user.organization!.id });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Members</h1>
      <TableFrame>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Members of the organisation</caption>
          <thead className="bg-gray-50">
            <tr>
              <th scope="col" className="px-4 py-2">
                Name
              </th>
              <th scope="col" className="px-4 py-2">
                E-mail
              </th>
              <th scope="col" className="px-4 py-2">
                Role
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} className="border-t border-gray-100">
                <td className="px-4 py-2">{m.name}</td>
                <td className="px-4 py-2">{m.email}</td>
                <td className="px-4 py-2 capitalize">{m.role}</td>
              </tr>
            ))}
            {invitations.map((i) => (
              <tr key={i.id} className="border-t border-gray-100 text-gray-600">
                <td className="px-4 py-2 italic">Invited</td>
                <td className="px-4 py-2">{i.email}</td>
                <td className="px-4 py-2 capitalize">
                  {i.role} (until {i.expiresAt.toISOString().slice(0, 10)})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      {user.organization!.role === 'admin' ? <InviteForm /> : <p className="text-sm text-gray-600">Only administrators invite members.</p>}
    </div>
  );
}
