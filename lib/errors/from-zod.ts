import type { z } from 'zod';
import { AppError } from './app-error';

/** A zod failure as a validation_failed AppError whose message names the fields. */
export function fromZodError(error: z.ZodError): AppError {
  const issues = error.issues.map((i) => ({
    field: i.path.length ? i.path.join('.') : null,
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
  const summary = issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ');
  return new AppError('validation_failed', `The request is not valid: ${summary}.`, { issues });
}
