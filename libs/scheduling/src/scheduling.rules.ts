// Pure rules of scheduling: job ids, delays, the "ids only" payload guard, which Bull states count as alive.
// No Nest, no Redis, no MongoDB here, so every rule is unit-tested in scheduling.rules.spec.ts.
import { InvalidDueTimeError, InvalidJobIdError, InvalidJobPayloadError } from './scheduling.errors';

/** Values a payload may carry: ids, codes, counters. Never names, phone numbers, addresses, free text. */
export type JobPayloadValue = string | number;
export type JobPayload = Readonly<Record<string, JobPayloadValue>>;

export interface PayloadLimits {
  maxKeys: number;
  maxValueLength: number;
}

export interface JobIdLimits {
  maxLength: number;
}

/**
 * Queue and job names become part of Redis keys (`<prefix>:<queue>:...`) and of job ids (`<job>:<part>:...`),
 * so they are restricted to a small alphabet without `:`.
 */
const NAME_PATTERN = /^[a-z][a-z0-9._-]*$/;

/** A job id part is an id: no separator (`:` would make two different keys collide) and no whitespace. */
const ID_PART_PATTERN = /^[A-Za-z0-9._@+=-]+$/;

/** Payload keys are field names such as `ticketId`. */
const PAYLOAD_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * String payload values look like ids: letters, digits and a few separators. This alone rejects names (spaces,
 * Chinese characters), addresses, e-mail addresses and free text.
 */
const ID_VALUE_PATTERN = /^[A-Za-z0-9._:/-]+$/;

/**
 * Digits-only strings are allowed (administrative codes are ids), except the two shapes that are personal data
 * in China: mobile numbers (11 digits starting 1[3-9]) and resident identity numbers (17 digits plus a digit or X).
 */
const CHINESE_MOBILE_PATTERN = /^1[3-9]\d{9}$/;
const RESIDENT_ID_PATTERN = /^\d{17}[\dXx]$/;

/** Bull's job states in which the job will still run (or is running). */
const LIVE_STATES: ReadonlySet<string> = new Set(['waiting', 'delayed', 'active', 'paused']);

/** Bull scores delayed jobs as `dueTimestamp * 0x1000 + (counter & 0xfff)` (see bull's addJob-6.lua). */
const DELAYED_SCORE_FACTOR = 0x1000;

export function assertName(kind: 'queue' | 'job', name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new InvalidJobIdError(
      `Invalid ${kind} name "${name}": use lower-case letters, digits, ".", "_" or "-"`,
    );
  }
}

/**
 * The deterministic job id of one scheduled thing: `<jobName>:<part>:<part>...`, e.g. `callback:T-42:2`.
 * The same domain facts always give the same id, which is what makes scheduling twice yield one job.
 */
export function buildJobId(jobName: string, parts: readonly JobPayloadValue[], limits: JobIdLimits): string {
  assertName('job', jobName);
  if (parts.length === 0) {
    throw new InvalidJobIdError(`Job id of ${jobName} needs at least one part (e.g. the aggregate id)`);
  }
  const rendered = parts.map((part, index) => {
    if (typeof part === 'number' && !Number.isFinite(part)) {
      throw new InvalidJobIdError(`Job id part ${index} of ${jobName} is not a finite number`);
    }
    const text = String(part);
    if (!ID_PART_PATTERN.test(text)) {
      throw new InvalidJobIdError(
        `Job id part ${index} of ${jobName} ("${text}") must be an id without ":" or spaces`,
      );
    }
    return text;
  });
  const id = [jobName, ...rendered].join(':');
  if (id.length > limits.maxLength) {
    throw new InvalidJobIdError(`Job id ${id.slice(0, 40)}... is longer than ${limits.maxLength} characters`);
  }
  return id;
}

export function assertDueTime(dueAt: Date): void {
  if (!(dueAt instanceof Date) || Number.isNaN(dueAt.getTime())) {
    throw new InvalidDueTimeError('dueAt must be a valid Date');
  }
}

/** Milliseconds from `now` until `dueAt`; 0 when it is already due (an overdue job runs at once). */
export function delayUntil(dueAt: Date, now: Date): number {
  return Math.max(0, dueAt.getTime() - now.getTime());
}

/**
 * Rejects payloads that are not "ids only". Bull keeps job data in clear text in Redis, which is neither
 * encrypted nor audited, so personal data must never get there: a processor loads what it needs by id.
 */
export function assertIdsOnlyPayload(payload: unknown, limits: PayloadLimits): asserts payload is JobPayload {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new InvalidJobPayloadError('Payload must be a flat object of ids');
  }
  const entries = Object.entries(payload);
  if (entries.length > limits.maxKeys) {
    throw new InvalidJobPayloadError(
      `Payload has ${entries.length} fields; at most ${limits.maxKeys} ids are allowed`,
    );
  }
  for (const [key, value] of entries) {
    if (!PAYLOAD_KEY_PATTERN.test(key)) {
      throw new InvalidJobPayloadError(`Payload field name "${key}" is not an identifier`, key);
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value))
        throw new InvalidJobPayloadError(`Payload field ${key} is not finite`, key);
      continue;
    }
    if (typeof value !== 'string') {
      throw new InvalidJobPayloadError(
        `Payload field ${key} must be a string or number id, got ${typeof value}`,
        key,
      );
    }
    if (value.length === 0 || value.length > limits.maxValueLength) {
      throw new InvalidJobPayloadError(
        `Payload field ${key} must be 1..${limits.maxValueLength} characters`,
        key,
      );
    }
    if (!ID_VALUE_PATTERN.test(value)) {
      throw new InvalidJobPayloadError(
        `Payload field ${key} does not look like an id (ids only, no personal data)`,
        key,
      );
    }
    if (CHINESE_MOBILE_PATTERN.test(value) || RESIDENT_ID_PATTERN.test(value)) {
      throw new InvalidJobPayloadError(`Payload field ${key} looks like a phone or identity number`, key);
    }
  }
}

export function isLiveState(state: string): boolean {
  return LIVE_STATES.has(state);
}

/** The time a delayed Bull job is due, from its score in the `delayed` sorted set. */
export function dueTimeFromDelayedScore(score: number): number {
  return Math.floor(score / DELAYED_SCORE_FACTOR);
}

/**
 * A delayed job still waiting well past its due time has been stranded by Bull's delay timer (the known bug after
 * a Redis reconnect): it should be promoted to waiting.
 */
export function isStrandedDelayedJob(dueTimestamp: number, now: Date, graceMs: number): boolean {
  return now.getTime() - dueTimestamp > graceMs;
}

/** Whether the failure of attempt number `attemptsMade + 1` was the last one Bull will make. */
export function isFinalAttempt(attemptsMade: number, maxAttempts: number): boolean {
  return attemptsMade + 1 >= maxAttempts;
}
