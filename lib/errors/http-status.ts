import type { ErrorCode } from './app-error';

/** The one table from error code to HTTP status. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 422,
  unauthenticated: 401,
  invalid_credentials: 401,
  email_not_verified: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  token_invalid: 400,
  token_expired: 410,
  token_used: 410,
  rate_limited: 429,
  live_capture_required: 409,
  signature_invalid: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  decryption_failed: 500,
  blob_missing: 500,
  blob_corrupt: 500,
  unavailable: 503,
  internal: 500,
};
