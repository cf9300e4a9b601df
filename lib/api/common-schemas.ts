import { z } from 'zod';

export const errorSchema = z.object({
  error: z.object({ code: z.string().describe('A stable code, for example validation_failed or not_found.'), message: z.string().describe('A sentence for a person.'), details: z.record(z.string(), z.unknown()).optional() }),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next page; null on the last page.') });
}

export const uuidParam = z.uuid();
export const versionParam = z.coerce.number().int().min(1);
