'use server';

import { revalidatePath } from 'next/cache';
import { createApiKey } from '@/lib/api-keys/create-api-key';
import { revokeApiKey } from '@/lib/api-keys/revoke-api-key';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { formFields, runAction, type ActionState } from '@/lib/http/action-state';

export async function createKeyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const f = formFields(form, ['name']);
  const scopes = form.getAll('scopes').map(String);
  return runAction(async () => {
    const user = await requirePageUser(PERSONA_ROLES.partner, '/partner/keys');
    const created = await createApiKey({ actorUserId: user.id, organizationId: user.organization!.id, input: { name: f.name, scopes: scopes as never } });
    revalidatePath('/partner/keys');
    return { ok: true, message: `Key "${created.name}" created. Copy it now: it is shown only once.`, values: { key: created.key } };
  }, f);
}

export async function revokeKeyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const f = formFields(form, ['keyId']);
  return runAction(async () => {
    const user = await requirePageUser(PERSONA_ROLES.partner, '/partner/keys');
    await revokeApiKey({ actorUserId: user.id, organizationId: user.organization!.id, keyId: f.keyId });
    revalidatePath('/partner/keys');
    return { ok: true, message: 'The key was revoked; requests with it are now refused.' };
  });
}
