import { AppError } from '@/lib/errors/app-error';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path parameter that must be a UUID; anything else is answered as not found, like an unknown id. */
export function uuidPathParam(params: Record<string, string>, name: string): string {
  const v = params[name];
  if (!v || !UUID.test(v)) throw new AppError('not_found', `There is no ${name.replace(/Id$/, '')} with the id "${v ?? ''}".`);
  return v.toLowerCase();
}

/** A positive integer path parameter (a model version number). */
export function intPathParam(params: Record<string, string>, name: string): number {
  const v = params[name];
  if (!v || !/^[1-9]\d{0,8}$/.test(v)) throw new AppError('not_found', `There is no ${name} "${v ?? ''}".`);
  return Number(v);
}
