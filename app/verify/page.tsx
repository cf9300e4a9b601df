import type { Metadata } from 'next';
import { VerifyForm } from './verify-form';

export const metadata: Metadata = { title: 'Verify a certificate' };

/** Anyone can check a removal certificate here; no account needed. */
export default function VerifyPage() {
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">Verify a removal certificate</h1>
      <p className="text-gray-700">
        A forgetme certificate is signed with the platform&apos;s published key and recorded in a public, append-only log. Upload the{' '}
        <code>certificate.json</code> to check, one by one, that the signature is genuine, that the key was valid when it was issued, that the content is a
        complete removal statement, that the log contains it, and that the log has not been rewritten since. The file stays on this server only for the check.
        You can also check it offline with <code>forgetme verify certificate.json --jwks keys.json</code>, using the keys at{' '}
        <a className="underline" href="/.well-known/jwks.json">
          /.well-known/jwks.json
        </a>
        .
      </p>
      <VerifyForm />
    </div>
  );
}
