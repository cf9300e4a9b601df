import 'server-only';
import { notFound } from 'next/navigation';
import { UUID } from './path-params';

/** A page's id segment that must be a UUID: anything else is the same 404 page as an unknown id (never a database error). */
export function pageUuid(value: string): string {
  if (!UUID.test(value)) notFound();
  return value.toLowerCase();
}
