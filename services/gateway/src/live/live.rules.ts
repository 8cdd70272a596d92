// The rules of the live push (GET /live), pure: which topics it reads, what a notice carries (ids, never the event's
// data), who receives it (the user's jurisdiction covers the event's), how it is written as server-sent events, and
// whether one more stream is admitted.
import type { CloudEvent, TopicDefinition } from '@linli/contracts';

/** What a browser learns of an event: enough to know what to refetch, nothing of its content. */
export interface LiveNotice {
  id: string;
  /** The contract's topic name (`linli.dispatch.job.v1`), without the deployment's namespace. */
  topic: string;
  type: string;
  /** The aggregate id (ticket, job, case…). */
  subject: string;
  /** The administrative code of the aggregate; null when the event has none. */
  jurisdiction: string | null;
  time: string;
}

/** The domain topics: every topic of the platform but the audit log's (who read what is nobody's live news). */
export function liveTopics(
  all: readonly TopicDefinition[],
  excluded: readonly TopicDefinition[],
): TopicDefinition[] {
  const left = new Set(excluded.map((topic) => topic.name));
  return all.filter((topic) => !left.has(topic.name));
}

/** The contract's topic name of a namespaced one (`t1a2b.linli.dispatch.job.v1` → `linli.dispatch.job.v1`). */
export function contractTopicOf(kafkaTopic: string, namespace: string | undefined): string {
  const prefix = namespace ? `${namespace}.` : '';
  return prefix && kafkaTopic.startsWith(prefix) ? kafkaTopic.slice(prefix.length) : kafkaTopic;
}

/** The notice of an event: its attributes only. `data` is never read here, and so can never leak. */
export function noticeOf(event: CloudEvent, topic: string): LiveNotice {
  return {
    id: event.id,
    topic,
    type: event.type,
    subject: event.subject,
    jurisdiction: event.jurisdiction ?? null,
    time: event.time,
  };
}

/**
 * Whether a user of `userJurisdiction` receives a notice: the event's area lies within theirs (a prefix of the
 * code), or the event has no area. A community user (12 digits) does not hear of a district-level event.
 */
export function receives(userJurisdiction: string, noticeJurisdiction: string | null): boolean {
  if (noticeJurisdiction === null || noticeJurisdiction === '') return true;
  return noticeJurisdiction.startsWith(userJurisdiction);
}

/**
 * A notice as one server-sent event. The `id:` line is left out when the id could break the framing (a line break
 * or NUL, which a CloudEvent id should never carry, but it comes from whoever produced the event); the JSON of
 * `data:` escapes line breaks itself.
 */
export function changeEvent(notice: LiveNotice): string {
  const idLine = /[\r\n\0]/.test(notice.id) ? '' : `id: ${notice.id}\n`;
  return `event: change\n${idLine}data: ${JSON.stringify(notice)}\n\n`;
}

/** The opening of a stream: the reconnect delay the browser should use, and a first comment (headers flushed). */
export function streamOpening(retryMs: number): string {
  return `retry: ${retryMs}\n: connected\n\n`;
}

export const HEARTBEAT = ': heartbeat\n\n';

export interface StreamCaps {
  perUser: number;
  total: number;
}

export type Admission = 'admitted' | 'user-full' | 'instance-full';

/** Whether one more stream of a user may open, given the user's open streams and the instance's. */
export function admission(userStreams: number, allStreams: number, caps: StreamCaps): Admission {
  if (userStreams >= caps.perUser) return 'user-full';
  if (allStreams >= caps.total) return 'instance-full';
  return 'admitted';
}

/**
 * Milliseconds until a token's `exp` (seconds since the epoch), when the stream it opened must end; undefined for
 * a token without one. Never negative: an expired token's stream ends at once.
 */
export function msUntilExpiry(exp: unknown, now: number): number | undefined {
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return undefined;
  return Math.max(0, exp * 1000 - now);
}
