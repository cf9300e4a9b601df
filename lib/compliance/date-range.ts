import { AppError } from '@/lib/errors/app-error';

/** A filter's `from` and `to` days (UTC, inclusive) as [start, end) instants; a reversed range is refused. */
export function dayRange(from?: string, to?: string): { start?: Date; end?: Date } {
  if (from && to && from > to) throw new AppError('validation_failed', 'The start date is after the end date.');
  return {
    start: from ? new Date(`${from}T00:00:00.000Z`) : undefined,
    end: to ? new Date(new Date(`${to}T00:00:00.000Z`).getTime() + 86_400_000) : undefined,
  };
}
