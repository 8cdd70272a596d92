// The live streams open on this instance: admitted within the caps, each notice written to the streams whose user
// it concerns, a heartbeat for all of them, and each ended when its token expires, its session is revoked, its
// reader falls too far behind, or the gateway shuts down. The browser reconnects (with a fresh token) and refetches.
import { metricsRegistry } from '@linli/platform';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { LiveUnavailableError, TooManyStreamsError } from './live.errors';
import { admission, changeEvent, HEARTBEAT, receives, type LiveNotice } from './live.rules';

export const LIVE_STREAMS_METRIC = 'linli_gateway_live_streams';
export const LIVE_NOTICES_METRIC = 'linli_gateway_live_notices_total';

/** At shutdown, how long an ended stream's last bytes may take to leave before the connection is cut. */
const SHUTDOWN_GRACE_MS = 1_000;
/** setTimeout's longest delay (about 24.8 days); a token living longer is checked again then. */
const MAX_TIMER_MS = 2_147_483_647;

/** Where a stream's text goes: the HTTP answer, as far as the hub needs to know it. */
export interface StreamSink {
  write(text: string): void;
  /** Bytes written but not yet taken by the connection (a slow or stalled reader). */
  bufferedBytes(): number;
  /** Ends the answer properly: the browser reads the end and reconnects at once. */
  end(): void;
  /** Cuts the connection: for a reader that takes nothing, whose backlog an end would only queue behind. */
  destroy(): void;
}

export interface StreamOwner {
  userId: string;
  jurisdiction: string;
  /** The sign-in session of the token (none for an outside issuer's token): checked for revocation. */
  sessionId?: string;
  /** When the token expires; undefined when it says nothing. */
  expiresInMs?: number;
}

export const LIVE_OPTIONS = Symbol('LIVE_OPTIONS');

/** The hub's settings (LIVE_* in the gateway's configuration) and how it asks whether a session was revoked. */
export interface LiveOptions {
  maxStreamsPerUser: number;
  maxStreams: number;
  heartbeatMs: number;
  maxBufferedBytes: number;
  /** SessionsService.isRevoked: signed out, password changed, refresh token reused. */
  isRevoked(sessionId: string): Promise<boolean>;
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

  constructor(@Inject(LIVE_OPTIONS) private readonly options: LiveOptions) {
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
      perUser: this.options.maxStreamsPerUser,
      total: this.options.maxStreams,
    });
    if (verdict === 'user-full') throw new TooManyStreamsError(this.options.maxStreamsPerUser);
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
    this.heartbeat ??= setInterval(() => void this.beat(), this.options.heartbeatMs);
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
        revoked = await this.options.isRevoked(sessionId);
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
    if (stream.sink.bufferedBytes() > this.options.maxBufferedBytes) {
      this.end(stream, 'slow');
      return false;
    }
    stream.sink.write(text);
    return true;
  }

  private end(stream: OpenStream, reason: EndReason): void {
    if (!this.forget(stream)) return;
    this.logger.debug({ msg: 'live stream ended', reason, userId: stream.userId });
    if (reason === 'slow') {
      stream.sink.destroy();
      return;
    }
    stream.sink.end();
    if (reason === 'shutdown') {
      // The server's close waits for this connection until its last bytes are taken: a stalled reader gets a moment.
      setTimeout(() => stream.sink.destroy(), SHUTDOWN_GRACE_MS).unref();
    }
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
