// Why GET /live refuses a stream: the user already has their share open, or this instance has all it takes.
import { DomainError } from '@linli/platform';

/** The user's open streams on this instance reached LIVE_MAX_STREAMS_PER_USER (a tab left behind, a loop). */
export class TooManyStreamsError extends DomainError {
  readonly status = 429;
  readonly slug = 'too-many-live-streams';
  readonly title = 'Too many live streams';

  constructor(readonly limit: number) {
    super(`At most ${limit} live streams may be open at once; close another tab or window first`);
  }

  override extensions(): Record<string, unknown> {
    return { limit: this.limit };
  }
}

/** This instance holds LIVE_MAX_STREAMS streams, or is shutting down: another instance (or a retry) will do. */
export class LiveUnavailableError extends DomainError {
  readonly status = 503;
  readonly slug = 'live-unavailable';
  readonly title = 'Live push unavailable';

  constructor(reason: 'full' | 'closing') {
    super(
      reason === 'full'
        ? 'This gateway carries all the live streams it can; try again shortly'
        : 'This gateway is shutting down; reconnect',
    );
  }
}
