/** Every webhook event type, with what it tells the partner. Payloads are thin: ids, never biometric data. */
export const WEBHOOK_EVENTS = {
  'dataset.ingested': 'An upload into a dataset finished embedding: counts of embedded and failed items.',
  'model.trained': 'A model finished its first training: the model and its first version.',
  'removal.requested': 'A person asked for items of your datasets to be removed: the request and the affected item ids.',
  'model.version_created': 'A new model version was released (after a removal or a retraining): download and deploy it.',
  'certificate.issued': 'A removal certificate concerning your models was signed and logged.',
  'certificate.deployment_acknowledged':
    'Your signed acknowledgement that a model version runs in production was verified and recorded: the version, its weights digest, ' +
    'the signing key and the certificates it put into production.',
  'removal.failed':
    "Removing a person's items failed after every retry: the request, the stage, the models concerned and the error code. " +
    "The items stay excluded from your training sets; forgetme's operators can retry the removal.",
  ping: 'A test event sent from the console.',
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as [WebhookEventType, ...WebhookEventType[]];

/**
 * Retry schedule after each failed attempt (Standard Webhooks' recommendation): the first attempt
 * is immediate; then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h. After the last, the delivery fails.
 */
export const RETRY_DELAYS_SECONDS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
/** An endpoint that has failed without a success for this long is disabled. */
export const DISABLE_AFTER_MS = 5 * 24 * 3600 * 1000;
export const DELIVERY_TIMEOUT_MS = 15_000;
/** After a rotation, the previous secret keeps signing for this long. */
export const SECRET_OVERLAP_MS = 24 * 3600 * 1000;
