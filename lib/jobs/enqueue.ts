import { AppError } from '@/lib/errors/app-error';
import { fromZodError } from '@/lib/errors/from-zod';
import { getBoss } from './boss';
import { ensureQueue } from './ensure-queue';
import { queueName, type JobDefinition } from './define-job';

/**
 * Validates the payload and sends one job; returns pg-boss's job id, or null when the queue is
 * `exclusive` or `stately` and a job with the same key is already waiting (or running).
 */
export async function enqueue<P>(
  def: JobDefinition<P>,
  payload: P,
  opts: { startAfterSeconds?: number } = {},
): Promise<string | null> {
  const parsed = def.schema.safeParse(payload);
  if (!parsed.success) throw fromZodError(parsed.error);
  const boss = await getBoss();
  await ensureQueue(boss, def);
  const id = await boss.send(queueName(def), parsed.data as object, {
    retryLimit: def.retryLimit ?? 5,
    retryDelay: def.retryDelaySeconds ?? 5,
    retryBackoff: true,
    expireInSeconds: def.expireInSeconds ?? 15 * 60,
    startAfter: opts.startAfterSeconds,
    ...(def.heartbeatSeconds ? { heartbeatSeconds: def.heartbeatSeconds } : {}),
    ...(def.policy && def.policy !== 'standard' ? { singletonKey: def.key(parsed.data) } : {}),
  });
  if (!id && def.policy && def.policy !== 'standard') return null;
  if (!id) throw new AppError('unavailable', `The job ${def.id} could not be queued.`);
  return id;
}
