import { z } from 'zod';
import { defineJob } from '@/lib/jobs/define-job';
import { enqueue } from '@/lib/jobs/enqueue';
import { log } from '@/lib/log/logger';
import { attemptDelivery, deliverDue } from './deliver';

/** One attempt of one delivery; a failure schedules the next attempt as a delayed job. */
export const deliverWebhookJob = defineJob({
  id: 'webhooks.deliver',
  version: 1,
  schema: z.object({ deliveryId: z.uuid() }),
  key: (p) => `webhooks.deliver:${p.deliveryId}`,
  // Standard policy: the retry is queued from inside the running job. The lease in attemptDelivery
  // keeps two jobs for one delivery from both sending.
  retryLimit: 2,
  concurrency: 8,
  expireInSeconds: 120,
  handler: async (p) => deliverNow(p.deliveryId),
});

/** Every minute: attempts whatever is due and was not queued (a crash, a lost job, an expired lease). */
export const sweepWebhooksJob = defineJob({
  id: 'webhooks.sweep',
  version: 1,
  schema: z.object({}).loose(),
  key: () => 'webhooks.sweep',
  cron: '* * * * *',
  handler: async () => {
    await deliverDue(new Date(), { graceMs: 30_000 });
  },
});

/** One attempt now; a failure schedules the next attempt as a delayed job. */
async function deliverNow(deliveryId: string): Promise<void> {
  const r = await attemptDelivery(deliveryId);
  if (r.retryInSeconds !== null) await enqueue(deliverWebhookJob, { deliveryId }, { startAfterSeconds: r.retryInSeconds });
}

/**
 * Delivers new events at once from this process, without waiting for a job poll (the latency a
 * partner sees); if that cannot even start, a job does it, and the sweep catches a crash.
 */
export async function requestDeliveries(ids: string[]): Promise<void> {
  for (const deliveryId of ids) {
    void deliverNow(deliveryId).catch(async (err) => {
      log.warn('immediate webhook delivery failed; queued', { deliveryId, error: String(err) });
      await enqueue(deliverWebhookJob, { deliveryId }).catch(() => {});
    });
  }
}
