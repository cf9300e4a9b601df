import { sweepAccountsJob } from '@/lib/auth/accounts-sweep';
import { sweepBlobsJob } from '@/lib/blobs/blob-sweep';
import { ingestJob, sweepIngestsJob } from '@/lib/datasets/ingest-job';
import { integrityCheckJob } from '@/lib/integrity/integrity-job';
import { sendEmailJob, sweepEmailsJob } from '@/lib/mail/jobs';
import { renoiseSweepJob } from '@/lib/models/renoise-model';
import { trainModelJob } from '@/lib/models/train-job';
import { sweepTrainingJob } from '@/lib/models/training-sweep';
import { certifyJob } from '@/lib/removals/certify-job';
import { watchJob } from '@/lib/removals/match-watch';
import { matchJob } from '@/lib/removals/matching';
import { sweepRequestsJob } from '@/lib/removals/sweep-requests';
import { unlearnJob } from '@/lib/removals/unlearn-job';
import { deliverWebhookJob, sweepWebhooksJob } from '@/lib/webhooks/jobs';
import { runnable, type RunnableJob } from './define-job';

/** Every job the runner serves. A new job is added here and nowhere else. */
export const JOBS: RunnableJob[] = [
  runnable(sendEmailJob),
  runnable(sweepEmailsJob),
  runnable(ingestJob),
  runnable(sweepIngestsJob),
  runnable(trainModelJob),
  runnable(sweepTrainingJob),
  runnable(renoiseSweepJob),
  runnable(deliverWebhookJob),
  runnable(sweepWebhooksJob),
  runnable(matchJob),
  runnable(watchJob),
  runnable(unlearnJob),
  runnable(certifyJob),
  runnable(sweepRequestsJob),
  runnable(sweepAccountsJob),
  runnable(integrityCheckJob),
  runnable(sweepBlobsJob),
];
