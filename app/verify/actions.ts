'use server';

import { verifyHere } from '@/lib/certificates/verify-here';
import { verdictOf, type Verdict } from '@/lib/certificates/verdict';
import type { Verification } from '@/lib/certificates/verify-bundle';

export type VerifyState = { ok: true; result: Verification; verdict: Verdict } | { ok: false; message: string } | null;

const MAX = 1024 * 1024;

export async function verifyCertificateAction(_prev: VerifyState, form: FormData): Promise<VerifyState> {
  const file = form.get('certificate');
  if (!(file instanceof File) || !file.size) return { ok: false, message: 'Choose the certificate file (certificate.json) first.' };
  if (file.size > MAX) return { ok: false, message: 'This file is larger than any certificate (1 MB); it is not a forgetme certificate.' };
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch {
    return { ok: false, message: 'This file is not JSON: choose the certificate.json you downloaded (not the PDF).' };
  }
  const result = await verifyHere(json);
  return { ok: true, result, verdict: verdictOf(result) };
}
