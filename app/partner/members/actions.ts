'use server';

import { revalidatePath } from 'next/cache';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { formFields, runAction, type ActionState } from '@/lib/http/action-state';
import { inviteMember } from '@/lib/orgs/invite-member';

export async function inviteMemberAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const f = formFields(form, ['email', 'role']);
  return runAction(async () => {
    const user = await requirePageUser(PERSONA_ROLES.partner, '/partner/members');
    await inviteMember({ actorUserId: user.id, organizationId: user.organization!.id, input: { email: f.email, role: f.role } });
    revalidatePath('/partner/members');
    return { ok: true, message: `Invitation sent to ${f.email.trim().toLowerCase()}.` };
  }, f);
}
