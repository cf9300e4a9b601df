'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** Refreshes the server-rendered page every 1.5 s while work is in progress. */
export function AutoRefresh() {
  const router = useRouter();
  useEffect(() => {
    const t = setInterval(() => router.refresh(), 1500);
    return () => clearInterval(t);
  }, [router]);
  return null;
}
