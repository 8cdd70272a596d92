// The live streams open on this instance: admitted within the caps, each notice written to the streams whose user
// it concerns, a heartbeat for all of them, and each ended when its token expires, its session is revoked, its
// reader falls too far behind, or the gateway shuts down. The browser reconnects (with a fresh token) and refetches.
import { metricsRegistry } from '@linli/platform';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { config } from '../config';
import { SessionsService } from '../sessions/sessions.service';
import { LiveUnavailableError, TooManyStreamsError } from './live.errors';
import { admission, changeEvent, HEARTBEAT, receives, type LiveNotice } from './live.rules';

export const LIVE_STREAMS_METRIC = 'linli_gateway_live_streams';
export const LIVE_NOTICES_METRIC = 'linli_gateway_live_notices_total';

/** setTimeout's longest delay (about 24.8 days); a token living longer is checked again then. */
const MAX_TIMER_MS = 2_147_483_647;

/** Where a stream's text goes: the HTTP answer, as far as the hub needs to know it. */
export interface StreamSink {
  write(text: string): void;
  /** Bytes written but not yet taken by the connection (a slow or stalled reader). */
  bufferedBytes(): number;
  end(): void;
}

export interface StreamOwner {
  userId: string;
  jurisdiction: string;
  /** The sign-in session of the token (none for an outside issuer's token): checked for revocation. */
  sessionId?: string;
  /** When the token expires; undefined when it says nothing. */
  expiresInMs?: number;
}

export type EndReason = 'closed' | 'expired' | 'revoked' | 'slow' | 'shutdown';

interface OpenStream extends StreamOwner {
  sink: StreamSink;
  expiry?: NodeJS.Timeout;
}

@Injectable()
export class LiveHub implements OnModuleDestroy {
  private readonly logger = new Logger(LiveHub.name);
  private readonly streams = new Set<OpenStream>();
  private readonly perUser = new Map<string, number>();
  private readonly gauge: Gauge;
  private readonly notices: Counter;
  private heartbeat?: NodeJS.Timeout;
  private closing = false;
  private checkingSessions = false;

  constructor(private readonly sessions: SessionsService) {
    // Created once per process (a second registration would throw), like the platform's own metrics.
    this.gauge =
      (metricsRegistry.getSingleMetric(LIVE_STREAMS_METRIC) as Gauge | undefined) ??
      new Gauge({
        name: LIVE_STREAMS_METRIC,
        help: 'Live streams (GET /live) open on this instance',
        registers: [metricsRegistry],
      });
    this.notices =
      (metricsRegistry.getSingleMetric(LIVE_NOTICES_METRIC) as Counter | undefined) ??
      new Counter({
        name: LIVE_NOTICES_METRIC,
        help: 'Change notices written to live streams (one per stream that received it)',
        registers: [metricsRegistry],
      });
  }

  get size(): number {
    return this.streams.size;
  }

  /**
   * Admits and registers a stream, or throws (429 over the user's cap, 503 when the instance is full or closing).
   * Returns the function that forgets it (call it when the connection closes, however that happened).
   */
  open(owner: StreamOwner, sink: StreamSink): () => void {
    if (this.closing) throw new LiveUnavailableError('closing');
    const verdict = admission(this.perUser.get(owner.userId) ?? 0, this.streams.size, {
      perUser: config.LIVE_MAX_STREAMS_PER_USER,
      total: config.LIVE_MAX_STREAMS,
    });
    if (verdict === 'user-full') throw new TooManyStreamsError(config.LIVE_MAX_STREAMS_PER_USER);
    if (verdict === 'instance-full') throw new LiveUnavailableError('full');

    const stream: OpenStream = { ...owner, sink };
    this.streams.add(stream);
    this.perUser.set(owner.userId, (this.perUser.get(owner.userId) ?? 0) + 1);
    this.gauge.inc();
    if (owner.expiresInMs !== undefined) {
      stream.expiry = setTimeout(
        () => this.end(stream, 'expired'),
        Math.min(owner.expiresInMs, MAX_TIMER_MS),
      );
    }
    this.heartbeat ??= setInterval(() => void this.beat(), config.LIVE_HEARTBEAT_MS);
    return () => this.forget(stream);
  }

  /** Writes the notice to every stream whose user's jurisdiction covers it. */
  publish(notice: LiveNotice): void {
    if (this.streams.size === 0) return;
    const text = changeEvent(notice);
    for (const stream of this.streams) {
      if (!receives(stream.jurisdiction, notice.jurisdiction)) continue;
      if (this.send(stream, text)) this.notices.inc();
    }
  }

  onModuleDestroy(): void {
    this.closing = true;
    // Ended rather than left open: the server's close waits for every open answer.
    for (const stream of [...this.streams]) this.end(stream, 'shutdown');
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  /** The heartbeat of every stream, and the end of those whose session was revoked meanwhile (signed out). */
  private async beat(): Promise<void> {
    for (const stream of this.streams) this.send(stream, HEARTBEAT);
    // One pass of revocation checks at a time, should the stores be slower than the heartbeat.
    if (this.checkingSessions) return;
    this.checkingSessions = true;
    try {
      await this.endRevoked();
    } finally {
      this.checkingSessions = false;
    }
  }

  private async endRevoked(): Promise<void> {
    const bySession = new Map<string, OpenStream[]>();
    for (const stream of this.streams) {
      if (stream.sessionId === undefined) continue;
      bySession.set(stream.sessionId, [...(bySession.get(stream.sessionId) ?? []), stream]);
    }
    for (const [sessionId, streams] of bySession) {
      let revoked: boolean;
      try {
        revoked = await this.sessions.isRevoked(sessionId);
      } catch {
        // Redis and MongoDB both unreachable: the stream stays until its token expires.
        continue;
      }
      if (revoked) for (const stream of streams) this.end(stream, 'revoked');
    }
  }

  /** Writes, unless the reader is so far behind that its backlog passed the limit: then the stream ends. */
  private send(stream: OpenStream, text: string): boolean {
    if (!this.streams.has(stream)) return false;
    if (stream.sink.bufferedBytes() > config.LIVE_MAX_BUFFERED_BYTES) {
      this.end(stream, 'slow');
      return false;
    }
    stream.sink.write(text);
    return true;
  }

  private end(stream: OpenStream, reason: EndReason): void {
    if (!this.forget(stream)) return;
    this.logger.debug({ msg: 'live stream ended', reason, userId: stream.userId });
    stream.sink.end();
  }

  /** Forgets a stream once (the connection's close and the hub's own end may both call it). */
  private forget(stream: OpenStream): boolean {
    if (!this.streams.delete(stream)) return false;
    if (stream.expiry) clearTimeout(stream.expiry);
    const left = (this.perUser.get(stream.userId) ?? 1) - 1;
    if (left > 0) this.perUser.set(stream.userId, left);
    else this.perUser.delete(stream.userId);
    this.gauge.dec();
    if (this.streams.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
    return true;
  }
}
