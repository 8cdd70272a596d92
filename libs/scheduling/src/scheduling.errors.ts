// Typed errors of the scheduling library, so callers (and the problem+json edge) can tell them apart.

/** Base class: everything this library throws on purpose. */
export class SchedulingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A job id part, queue name or job name that would make an ambiguous or invalid Bull key. */
export class InvalidJobIdError extends SchedulingError {}

/** A payload that is not "ids only" (Bull stores job data in clear text in Redis). */
export class InvalidJobPayloadError extends SchedulingError {
  constructor(
    message: string,
    /** The payload key at fault, when one is. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A due time that is not a valid date. */
export class InvalidDueTimeError extends SchedulingError {}

/** The job was not declared in the module's `jobs` catalogue, so no processor is known for it. */
export class UndeclaredJobError extends SchedulingError {}

/** Start-up refusal: a declared job has no processor, or more than one, or a processor has no declared job. */
export class ProcessorRegistrationError extends SchedulingError {
  constructor(readonly problems: readonly string[]) {
    super(`Scheduling refuses to start:\n  - ${problems.join('\n  - ')}`);
  }
}

export class ScheduledWorkNotFoundError extends SchedulingError {
  constructor(readonly jobId: string) {
    super(`No scheduled work with job id ${jobId}`);
  }
}

/** The record is in a state the requested change does not apply to (e.g. rescheduling work that already ran). */
export class ScheduledWorkStateError extends SchedulingError {
  constructor(
    readonly jobId: string,
    readonly status: string,
    action: string,
  ) {
    super(`Cannot ${action} ${jobId}: it is ${status}`);
  }
}

/** Redis is not connected (readiness) or did not answer in time. */
export class RedisUnavailableError extends SchedulingError {}

/** A bounded wait (enqueue, ping, shutdown) ran out. */
export class SchedulingTimeoutError extends SchedulingError {}
