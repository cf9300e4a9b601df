import { ingestJob, sweepIngestsJob } from '@/lib/datasets/ingest-job';
import { sendEmailJob, sweepEmailsJob } from '@/lib/mail/jobs';
import { trainModelJob } from '@/lib/models/train-job';
import { deliverWebhookJob, sweepWebhooksJob } from '@/lib/webhooks/jobs';
import type { JobDefinition } from './define-job';

/** Every job the runner serves. A new job is added here and nowhere else. */
export const JOBS: JobDefinition<never>[] = [sendEmailJob, sweepEmailsJob, ingestJob, sweepIngestsJob, trainModelJob, deliverWebhookJob, sweepWebhooksJob] as unknown as JobDefinition<never>[];
