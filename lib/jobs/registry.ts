import { sendEmailJob, sweepEmailsJob } from '@/lib/mail/jobs';
import type { JobDefinition } from './define-job';

/** Every job the runner serves. A new job is added here and nowhere else. */
export const JOBS: JobDefinition<never>[] = [sendEmailJob, sweepEmailsJob] as unknown as JobDefinition<never>[];
