import { LiveUnavailableError, TooManyStreamsError } from './live.errors';
import { LiveHub, type LiveOptions, type StreamSink } from './live.hub';
import type { LiveNotice } from './live.rules';

class FakeSink implements StreamSink {
  text = '';
  buffered = 0;
  state: 'open' | 'ended' | 'destroyed' = 'open';
  write(text: string): void {
    this.text += text;
  }
  bufferedBytes(): number {
    return this.buffered;
  }
  end(): void {
    this.state = 'ended';
  }
  destroy(): void {
    this.state = 'destroyed';
  }
}

const notice = (jurisdiction: string | null): LiveNotice => ({
  id: `e-${jurisdiction}`,
  topic: 'linli.dispatch.job.v1',
  type: 'linli.dispatch.job.accepted.v1',
  subject: 'J1',
  jurisdiction,
  time: '2026-11-29T08:00:00.000Z',
});

const SETTINGS: Omit<LiveOptions, 'isRevoked'> = {
  maxStreamsPerUser: 3,
  maxStreams: 100,
  heartbeatMs: 15_000,
  maxBufferedBytes: 1024,
};

describe('LiveHub', () => {
  let revoked: Set<string>;
  let hub: LiveHub;

  beforeEach(() => {
    jest.useFakeTimers();
    revoked = new Set();
    hub = new LiveHub({ ...SETTINGS, isRevoked: async (sid: string) => revoked.has(sid) });
  });

  afterEach(() => {
    hub.onModuleDestroy();
    jest.useRealTimers();
  });

  it("writes a notice only to the streams whose user's jurisdiction covers it", () => {
    const district = new FakeSink();
    const community = new FakeSink();
    hub.open({ userId: 'a', jurisdiction: '320106' }, district);
    hub.open({ userId: 'b', jurisdiction: '320106002001' }, community);

    hub.publish(notice('320106002001'));
    hub.publish(notice('320106001001'));

    expect(district.text).toContain('"id":"e-320106002001"');
    expect(district.text).toContain('"id":"e-320106001001"');
    expect(community.text).toContain('"id":"e-320106002001"');
    expect(community.text).not.toContain('"id":"e-320106001001"');
  });

  it("refuses a user's stream past the per-user cap, and admits one again once a stream is forgotten", () => {
    const forgets = Array.from({ length: SETTINGS.maxStreamsPerUser }, () =>
      hub.open({ userId: 'a', jurisdiction: '32' }, new FakeSink()),
    );

    expect(() => hub.open({ userId: 'a', jurisdiction: '32' }, new FakeSink())).toThrow(TooManyStreamsError);
    expect(() => hub.open({ userId: 'b', jurisdiction: '32' }, new FakeSink())).not.toThrow();
    forgets[0]?.();
    expect(() => hub.open({ userId: 'a', jurisdiction: '32' }, new FakeSink())).not.toThrow();
  });

  it('cuts a stream whose reader has fallen too far behind, instead of queueing more for it', () => {
    const stalled = new FakeSink();
    hub.open({ userId: 'a', jurisdiction: '32' }, stalled);
    stalled.buffered = SETTINGS.maxBufferedBytes + 1;

    hub.publish(notice('320106'));

    expect(stalled.state).toBe('destroyed');
    expect(stalled.text).toBe('');
    expect(hub.size).toBe(0);
  });

  it('ends a stream when its token expires', () => {
    const sink = new FakeSink();
    hub.open({ userId: 'a', jurisdiction: '32', expiresInMs: 60_000 }, sink);

    jest.advanceTimersByTime(59_999);
    expect(sink.state).toBe('open');
    jest.advanceTimersByTime(1);
    expect(sink.state).toBe('ended');
  });

  it('sends heartbeats, and ends at the next one the streams of a session revoked meanwhile', async () => {
    const signedOut = new FakeSink();
    const staying = new FakeSink();
    hub.open({ userId: 'a', jurisdiction: '32', sessionId: 's-1' }, signedOut);
    hub.open({ userId: 'b', jurisdiction: '32', sessionId: 's-2' }, staying);
    revoked.add('s-1');

    await jest.advanceTimersByTimeAsync(SETTINGS.heartbeatMs);

    expect(staying.text).toBe(': heartbeat\n\n');
    expect(signedOut.state).toBe('ended');
    expect(staying.state).toBe('open');
  });

  it('ends every stream at shutdown and admits none after', () => {
    const sink = new FakeSink();
    hub.open({ userId: 'a', jurisdiction: '32' }, sink);

    hub.onModuleDestroy();

    expect(sink.state).toBe('ended');
    expect(() => hub.open({ userId: 'a', jurisdiction: '32' }, new FakeSink())).toThrow(LiveUnavailableError);
  });
});
