// The chase's steps run twice (a job re-delivered, a worker dead after the effect): the same effect, against
// in-memory repositories that behave as the real ones do (deterministic chase ids, duplicate inserts refused).
import { Logger } from '@nestjs/common';
import { ChaseService } from './chase.service';
import type { AlertMessageDocument, AlertRecipientDocument } from './recipient.schemas';
import type { RecipientStatus, StatusCount } from './recipient.rules';

const ALERT = 'I20261129-000001-A1';
const NOW = new Date('2026-11-29T10:15:00+08:00');

class FakeStore {
  messages = new Map<string, Partial<AlertMessageDocument>>();
  rows = new Map<string, Partial<AlertRecipientDocument>>();
  chases = new Map<
    string,
    { recipientIds?: string[]; event: { event: { data: Record<string, unknown> } } }
  >();
  /** Throws once when this batch is about to be marked: a worker dying between the event and the rows. */
  crashBeforeMarking?: number;

  scheduled: { key: readonly unknown[]; dueAt: Date }[] = [];

  messagesRepository = {
    get: async (alertId: string, sequence: number) => this.messages.get(`${alertId}:${sequence}`),
    recordResendDone: async (alertId: string, sequence: number, at: Date) => {
      const message = this.messages.get(`${alertId}:${sequence}`)!;
      message.resendDoneAt ??= at;
    },
  };

  scheduler = {
    schedule: async (_definition: unknown, request: { key: readonly unknown[]; dueAt: Date }) => {
      this.scheduled.push({ key: request.key, dueAt: request.dueAt });
      return { created: true };
    },
  };

  rowsRepository = {
    toChase: async function* (this: FakeStore, alertId: string) {
      const rows = [...this.rows.values()]
        .filter((row) => row.alertId === alertId && ['pending', 'silent'].includes(row.status!))
        .sort((a, b) => (a._id! < b._id! ? -1 : 1));
      for (const row of rows) yield { recipientId: row.recipientId!, resentSequence: row.resentSequence };
    }.bind(this),
    markResent: async (alertId: string, ids: readonly string[], sequence: number, now: Date) => {
      for (const id of ids) {
        const row = this.rows.get(`${alertId}:${id}`)!;
        if (['pending', 'silent'].includes(row.status!))
          Object.assign(row, { resentSequence: sequence, resentAt: now });
      }
    },
    markSilent: async (alertId: string, now: Date) => {
      let marked = 0;
      for (const row of this.rows.values())
        if (row.alertId === alertId && row.status === 'pending') {
          Object.assign(row, { status: 'silent', silentAt: now });
          marked++;
        }
      return marked;
    },
    countByStatus: async (alertId: string): Promise<StatusCount[]> => {
      const counts = new Map<RecipientStatus, number>();
      for (const row of this.rows.values())
        if (row.alertId === alertId) counts.set(row.status!, (counts.get(row.status!) ?? 0) + 1);
      return [...counts].map(([status, count]) => ({ status, count, resent: 0 }));
    },
  };

  chasesRepository = {
    resendBatches: async (alertId: string, sequence: number) => {
      const batches = [];
      for (let batch = 1; this.chases.has(`${alertId}:${sequence}:resend:${batch}`); batch++)
        batches.push(this.chases.get(`${alertId}:${sequence}:resend:${batch}`)!);
      return batches;
    },
    insert: async (
      document: { _id: string; recipientIds?: string[]; batch?: number },
      event: { event: { data: Record<string, unknown> } },
    ) => {
      if (this.chases.has(document._id)) return false;
      this.chases.set(document._id, { recipientIds: document.recipientIds, event });
      if (document.batch !== undefined && document.batch === this.crashBeforeMarking) {
        this.crashBeforeMarking = undefined;
        throw new Error('worker died');
      }
      return true;
    },
  };

  service(): ChaseService {
    return new ChaseService(
      this.messagesRepository as never,
      this.rowsRepository as never,
      this.chasesRepository as never,
      this.scheduler as never,
    );
  }

  resendEvents(): Record<string, unknown>[] {
    return [...this.chases.entries()]
      .filter(([id]) => id.includes(':resend:'))
      .map(([, chase]) => chase.event.event.data);
  }
}

function storeWith(recipients: number, statuses: Record<string, RecipientStatus> = {}): FakeStore {
  const store = new FakeStore();
  store.messages.set(`${ALERT}:1`, {
    _id: `${ALERT}:1`,
    alertId: ALERT,
    sequence: 1,
    incidentId: 'I20261129-000001',
    jurisdiction: '320106001',
    areas: ['320106001003'],
    messageType: 'alert',
    issuedAt: new Date('2026-11-29T10:00:00+08:00'),
    sentAt: new Date('2026-11-29T10:00:00+08:00'),
    acknowledgeBy: NOW,
    expiresAt: new Date('2026-11-30T10:00:00+08:00'),
    version: 1,
  });
  for (let i = 0; i < recipients; i++) {
    const recipientId = `P-${String(i).padStart(4, '0')}`;
    store.rows.set(`${ALERT}:${recipientId}`, {
      _id: `${ALERT}:${recipientId}`,
      alertId: ALERT,
      recipientId,
      status: statuses[recipientId] ?? 'pending',
    });
  }
  return store;
}

describe('the chase run twice', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('re-sends once: a second run of the deadline finds everyone named and emits nothing', async () => {
    const store = storeWith(3, { 'P-0001': 'acknowledged' });
    await store.service().resendDue(ALERT, 1, NOW);
    await store.service().resendDue(ALERT, 1, NOW);
    expect(store.resendEvents()).toEqual([
      expect.objectContaining({ batch: 1, sequence: 1, recipientIds: ['P-0000', 'P-0002'] }),
    ]);
    expect(store.rows.get(`${ALERT}:P-0002`)).toMatchObject({ resentSequence: 1, resentAt: NOW });
    expect(store.rows.get(`${ALERT}:P-0001`)?.resentAt).toBeUndefined();
  });

  it('after dying between a batch and its rows, the re-run marks those rows and emits only the rest', async () => {
    const store = storeWith(1_201);
    store.crashBeforeMarking = 2;
    await expect(store.service().resendDue(ALERT, 1, NOW)).rejects.toThrow('worker died');
    // Meanwhile one of batch 3's recipients answered: no longer chased.
    store.rows.get(`${ALERT}:P-1100`)!.status = 'acknowledged';
    await store.service().resendDue(ALERT, 1, NOW);

    const events = store.resendEvents();
    expect(events.map((event) => [event.batch, (event.recipientIds as string[]).length])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    const named = events.flatMap((event) => event.recipientIds as string[]);
    expect(new Set(named).size).toBe(1_200);
    expect(named).not.toContain('P-1100');
    const unmarked = [...store.rows.values()].filter((row) => row.status === 'pending' && !row.resentAt);
    expect(unmarked).toEqual([]);
  });

  it('escalates once: a second end of the second chance changes nothing and emits nothing', async () => {
    const store = storeWith(4, { 'P-0000': 'acknowledged', 'P-0001': 'needs-help' });
    await store.service().resendDue(ALERT, 1, NOW);
    await store.service().silentDue(ALERT, 1, NOW);
    await store.service().silentDue(ALERT, 1, NOW);
    const escalations = [...store.chases.entries()].filter(([id]) => id.endsWith(':escalated'));
    expect(escalations).toHaveLength(1);
    expect(escalations[0]![1].event.event.data).toMatchObject({
      reason: 'unacknowledged',
      unacknowledgedCount: 2,
      needsHelpCount: 1,
      sequence: 1,
    });
    expect([...store.rows.values()].map((row) => row.status)).toEqual([
      'acknowledged',
      'needs-help',
      'silent',
      'silent',
    ]);
  });

  it('never calls anyone silent before their second chance: a late re-send runs first and the end moves', async () => {
    const store = storeWith(2, { 'P-0000': 'acknowledged' });
    const end = new Date(NOW.getTime() + 2_000);
    await store.service().silentDue(ALERT, 1, end);
    expect(store.resendEvents()).toEqual([expect.objectContaining({ recipientIds: ['P-0001'] })]);
    expect(store.rows.get(`${ALERT}:P-0001`)?.status).toBe('pending');
    expect([...store.chases.keys()].filter((id) => id.endsWith(':escalated'))).toEqual([]);
    expect(store.scheduled).toHaveLength(1);
    expect(store.scheduled[0]!.key).toEqual([ALERT, 1, 'after-late-resend']);
    expect(store.scheduled[0]!.dueAt.getTime()).toBeGreaterThan(end.getTime());

    await store.service().silentDue(ALERT, 1, store.scheduled[0]!.dueAt);
    expect(store.rows.get(`${ALERT}:P-0001`)?.status).toBe('silent');
    expect(store.resendEvents()).toHaveLength(1);
  });

  it('does nothing for a cancelled, superseded or expired message', async () => {
    for (const change of [
      { cancelledAt: NOW },
      { supersededBy: 2 },
      { expiresAt: new Date(NOW.getTime() - 1) },
    ]) {
      const store = storeWith(2);
      Object.assign(store.messages.get(`${ALERT}:1`)!, change);
      await store.service().resendDue(ALERT, 1, NOW);
      await store.service().silentDue(ALERT, 1, NOW);
      expect(store.chases.size).toBe(0);
      expect([...store.rows.values()].map((row) => row.status)).toEqual(['pending', 'pending']);
    }
  });
});
