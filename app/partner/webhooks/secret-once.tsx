'use client';

import Link from 'next/link';
import { CopyButton } from '@/app/_components/copy-button';

/** A webhook signing secret, shown once after creation or rotation. */
export function SecretOnce({ secret, href }: { secret: string; href?: string }) {
  return (
    <div role="status" className="space-y-1 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
      <label htmlFor="webhook-secret" className="block font-medium">
        Signing secret: copy it now, it is shown only once
      </label>
      <span className="flex items-center gap-2">
        <input
          id="webhook-secret"
          readOnly
          value={secret}
          className="block w-full rounded-md border border-gray-300 bg-white px-3 py-2 font-mono text-xs"
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton value={secret} label="Copy secret" />
      </span>
      {href ? (
        <Link className="underline" href={href}>
          Open the endpoint and its delivery log
        </Link>
      ) : null}
    </div>
  );
}
