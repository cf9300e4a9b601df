/** Errors of the unlearning library: a stable code and a sentence that says what was expected. */
export type UnlearningErrorCode =
  'bad_features' | 'bad_params' | 'empty_class' | 'unknown_ids' | 'duplicate_ids' | 'nothing_left' | 'model_corrupt' | 'model_unsupported';

export class UnlearningError extends Error {
  constructor(
    readonly code: UnlearningErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UnlearningError';
  }
}
