'use server';

import { revalidatePath } from 'next/cache';
import { createApiKey } from '@/lib/api-keys/create-api-key';
import { revokeApiKey } from '@/lib/api-keys/revoke-api-key';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { formFields, runAction, type ActionState } from '@/lib/http/action-state';
import { registerDeploymentKey, revokeDeploymentKey } from '@/lib/deployments/deployment-keys';

export async function createKeyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const f = formFields(form, ['name']);
  const scopes = form.getAll('scopes').map(String);
  return runAction(async () => {
    const user = await requirePageUser(PERSONA_ROLES.partner, '/partner/keys');
    const created = await createApiKey({ actorUserId: user.id, organizationId: user.organization!.id, input: { name: f.name, scopes } });
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

async function keyActor() {
  const user = await requirePageUser(PERSONA_ROLES.partner, '/partner/keys');
  return { organizationId: user.organization!.id, actor: { type: 'user', id: user.id } as const };
}

export async function registerDeploymentKeyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const f = formFields(form, ['name', 'publicKey']);
  return runAction(async () => {
    const key = await registerDeploymentKey({ ...(await keyActor()), input: f });
    revalidatePath('/partner/keys');
    return { ok: true, message: `Deployment key "${key.name}" registered; sign under key id ${key.kid}.` };
  }, f);
}

export async function revokeDeploymentKeyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const f = formFields(form, ['keyId']);
  return runAction(async () => {
    await revokeDeploymentKey({ ...(await keyActor()), keyId: f.keyId });
    revalidatePath('/partner/keys');
    return { ok: true, message: 'The deployment key was revoked: it signs no new acknowledgement; what it signed stays valid.' };
  });
}
