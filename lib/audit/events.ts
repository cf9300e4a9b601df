import type { SearchScope } from '@/db/schema';

/**
 * Every audited action, as one typed union. Domain code records these through recordAuditEvent;
 * the data of an event never holds biometric data or secrets.
 */
export type Actor = { type: 'user'; id: string } | { type: 'api_key'; id: string } | { type: 'system'; id?: undefined };

type Ev<A extends string, S extends string, D extends Record<string, unknown> = Record<string, never>> = {
  action: A;
  subject: { type: S; id: string };
  data: D;
};

export type AuditEvent =
  | Ev<'user.signed_up', 'user', { kind: 'individual' | 'partner' }>
  | Ev<'user.email_verified', 'user'>
  | Ev<'user.verification_resent', 'user'>
  | Ev<'user.signed_in', 'user'>
  | Ev<'user.sign_in_failed', 'user', { reason: 'invalid_password' | 'email_not_verified' | 'rate_limited' }>
  | Ev<'user.signed_out', 'user'>
  | Ev<'user.password_reset_requested', 'user'>
  | Ev<'user.password_reset', 'user'>
  | Ev<'user.deleted', 'user', { withdrawn: number; continuing: number }>
  | Ev<'user.unverified_expired', 'user', { organizationRemoved: boolean }>
  | Ev<'user.created_by_operator', 'user', { kind: 'auditor' | 'individual' | 'partner' }>
  | Ev<'organization.created', 'organization', { name: string }>
  | Ev<'member.invited', 'invitation', { email: string; role: string }>
  | Ev<'member.joined', 'membership', { userId: string; role: string; invitationId?: string }>
  | Ev<'api_key.created', 'api_key', { name: string; scopes: string[] }>
  | Ev<'api_key.revoked', 'api_key'>
  | Ev<'signing_key.registered', 'signing_key', { algorithm: string }>
  | Ev<'dataset.created', 'dataset', { name: string }>
  | Ev<'dataset.upload_accepted', 'ingest', { datasetId: string; rows: number; created: number; skipped: number }>
  | Ev<'dataset.ingested', 'ingest', { datasetId: string; embedded: number; failed: number }>
  | Ev<'embedding_model.registered', 'embedding_model', { name: string; version: string; dimension: number }>
  | Ev<'dataset.features_imported', 'dataset', { embeddingModelId: string; stored: number; unchanged: number }>
  | Ev<'model.created', 'model', { datasetId: string; kind: string; params: Record<string, number>; embeddingModelId?: string }>
  | Ev<'model.version_released', 'model_version', { modelId: string; version: number; reason: string }>
  | Ev<'model.training_failed', 'model', { code: string }>
  | Ev<'deployment_key.registered', 'deployment_key', { name: string; kid: string }>
  | Ev<'deployment_key.revoked', 'deployment_key', { kid: string }>
  | Ev<'model_version.deployment_acknowledged', 'model_version', { modelId: string; version: number; kid: string; certificates: number }>
  | Ev<'webhook_endpoint.created', 'webhook_endpoint', { url: string; events: string[] }>
  | Ev<'webhook_endpoint.updated', 'webhook_endpoint', { url: string; events: string[]; enabled: boolean }>
  | Ev<'webhook_endpoint.secret_rotated', 'webhook_endpoint', { previousValidUntil: string }>
  | Ev<'webhook_endpoint.deleted', 'webhook_endpoint'>
  | Ev<'webhook_endpoint.disabled', 'webhook_endpoint', { reason: string }>
  | Ev<'webhook_delivery.replayed', 'webhook_delivery', { eventId: string }>
  | Ev<'certificate.issued', 'certificate', { requestId: string; leafIndex: number }>
  | Ev<'request.created', 'removal_request', { consentVersion: string }>
  | Ev<'request.reference_added', 'removal_request', { referenceId: string }>
  | Ev<'request.reference_removed', 'removal_request', { referenceId: string; afterInterruption?: true }>
  | Ev<'request.search_started', 'removal_request', { references: number }>
  | Ev<
      'request.matched',
      'removal_request',
      {
        shown: number;
        possible: number;
        datasets: number;
        labelsTaken: number;
        facesSearched: number;
        labelsSearched: number;
        datasetsSearched: number;
        referenceGroups?: number;
        thresholds: SearchScope['thresholds'];
      }
    >
  | Ev<'request.submitted', 'removal_request', { confirmed: number; possible: number; items: number; models: number; training?: number }>
  | Ev<'request.withdrawn', 'removal_request'>
  | Ev<'request.watch_started', 'removal_request', { days: number; consentVersion: string }>
  | Ev<'request.watch_ended', 'removal_request', { reason: 'stopped' | 'found' | 'expired' }>
  | Ev<'request.completed', 'removal_request', { certificates: number }>
  | Ev<'request.failed', 'removal_request', { stage: string; code: string; partial: boolean; certificates: number; failedTasks: number }>
  | Ev<'request.live_capture_passed', 'removal_request', { checkId: string; frames: number }>
  | Ev<'request.live_capture_refused', 'removal_request', { checkId: string; code: string }>
  | Ev<'request.identity_review_asked', 'removal_request'>
  | Ev<'request.identity_reviewed', 'removal_request', { decision: 'approved' | 'refused'; by: string }>
  | Ev<'abuse.face_reused', 'removal_request', { userId: string; otherAccounts: string[] }>
  | Ev<'abuse.references_mismatch', 'removal_request', { userId: string; mismatched: number; references: number }>
  | Ev<'request.retried', 'removal_request', { by: string; tasks: number; stage: string }>
  | Ev<'request.nudged', 'removal_request', { status: string; jobs: number }>
  | Ev<'request.model_dropped', 'removal_request', { modelId: string; reason: string }>
  | Ev<'request.purged', 'removal_request', { reason: string; references: number }>;

export type AuditAction = AuditEvent['action'];
