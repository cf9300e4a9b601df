import { z } from 'zod';

export const errorSchema = z.object({
  error: z.object({
    code: z.string().describe('A stable code, for example validation_failed or not_found.'),
    message: z.string().describe('A sentence for a person.'),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next page; null on the last page.') });
}

export const uuidParam = z.uuid();
export const versionParam = z.coerce.number().int().min(1).max(2_147_483_647);

/** A log size or leaf index: the log's integer column bounds it. */
export const logSize = z.coerce.number().int().min(1).max(2_147_483_647);

/** A calendar day (YYYY-MM-DD, UTC) that PostgreSQL and every client represent alike: 1970 to 9999. */
export const isoDay = z.iso.date().refine((d) => d >= '1970-01-01', { message: 'must be a day from 1970-01-01 on' });
