import { route } from '@/lib/http/route';
import { inviteMember } from '@/lib/orgs/invite-member';
import { inviteMemberSchema } from '@/lib/orgs/schemas';

/** An admin (signed in; not an API key: invitations are made by a person) invites a member. */
export const POST = route({ auth: { roles: ['partner_admin'] }, body: inviteMemberSchema }, async ({ principal, body }) => {
  if (principal.type !== 'user') throw new Error('unreachable: keys are refused for this route');
  const { invitationId } = await inviteMember({ actorUserId: principal.user.id, organizationId: principal.user.organization!.id, input: body });
  return Response.json({ invitation: { id: invitationId, email: body.email, role: body.role } }, { status: 201 });
});
