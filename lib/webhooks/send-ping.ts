import { getDb } from '@/db/client';
import { requireEndpoint } from './endpoints';
import { emitEvent } from './emit-event';

/** A `ping` to one endpoint, from the console, to check that the receiver verifies signatures. */
export async function sendPing(organizationId: string, endpointId: string) {
  const db = await getDb();
  const endpoint = await requireEndpoint(db, organizationId, endpointId);
  return emitEvent({ organizationId, type: 'ping', data: { endpointId: endpoint.id, message: 'Hello from forgetme.' }, endpointId: endpoint.id });
}
