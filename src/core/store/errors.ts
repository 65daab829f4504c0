export type StoreErrorCode = 'NOT_FOUND' | 'INVALID' | 'TOO_LARGE' | 'UNREADABLE' | 'CONFLICT' | 'WRITE_FAILED' | 'STALE' | 'BUSY';

/** A failure the user can act on; `message` is written for them, not for a log. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
