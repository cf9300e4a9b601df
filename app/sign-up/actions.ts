'use server';

import { headers } from 'next/headers';
import { signUp } from '@/lib/auth/sign-up';
import { clientIp } from '@/lib/http/client-ip';
import { formFields, runAction, type ActionState } from '@/lib/http/action-state';

export async function signUpAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const f = formFields(form, ['kind', 'name', 'email', 'password', 'organizationName']);
  return runAction(async () => {
    const input =
      f.kind === 'partner'
        ? { kind: 'partner' as const, name: f.name, email: f.email, password: f.password, organizationName: f.organizationName }
        : { kind: 'individual' as const, name: f.name, email: f.email, password: f.password };
    await signUp(input, { ip: clientIp(await headers()) });
    return { ok: true, message: `We sent a confirmation link to ${f.email.trim().toLowerCase()}. Open it to finish creating your account.` };
  }, f);
}
