/**
 * The one error type of the domain. Codes are stable strings that clients may rely on; the HTTP
 * status of each code lives in one table (http-status.ts). Messages are human sentences.
 */
export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'email_not_verified',
  'forbidden',
  'not_found',
  'conflict',
  'email_taken',
  'token_invalid',
  'token_expired',
  'token_used',
  'rate_limited',
  'live_capture_required',
  'signature_invalid',
  'payload_too_large',
  'unsupported_media_type',
  'decryption_failed',
  'blob_missing',
  'blob_corrupt',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
