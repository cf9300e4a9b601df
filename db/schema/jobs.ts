import { jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/** Finished steps of idempotent jobs: a retried job skips what is recorded here. */
export const jobSteps = pgTable(
  'job_steps',
  {
    jobKey: text().notNull(),
    step: text().notNull(),
    result: jsonb(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.jobKey, t.step] })],
);
