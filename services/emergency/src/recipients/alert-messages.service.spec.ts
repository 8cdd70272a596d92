// The messages of an alert as the alert stream tells them: timers set for a message with a deadline, an earlier
// message's chase ended by a later Update or Cancel (its timers withdrawn), a message read after a later one born
// stopped, and a redelivery changing nothing. Against an in-memory repository and scheduler.
import type { CloudEvent, EventData, alertIssued } from '@linli/contracts';
import { Logger } from '@nestjs/common';
import { AlertMessagesService } from './alert-messages.service';
import type { AlertMessageDocument } from './recipient.schemas';

const ALERT = 'I20261129-000001-A1';
const T0 = Date.parse('2026-11-29T10:00:00+08:00');
const MINUTE = 60_000;

type Data = EventData<typeof alertIssued>;

function issued(
  sequence: number,
  overrides: Partial<Data> = {},
  at = T0 + sequence * MINUTE,
): CloudEvent<Data> {
  return {
    specversion: '1.0',
    id: `e-${sequence}`,
    source: 'linli/emergency',
    type: 'linli.emergency.alert.issued.v1',
    time: new Date(at).toISOString(),
    subject: ALERT,
    datacontenttype: 'application/json',
    data: {
      alertId: ALERT,
      version: sequence,
      jurisdiction: '320106001',
      incidentId: 'I20261129-000001',
      sequence,
      messageType: sequence === 1 ? 'alert' : 'update',
      audiences: ['residents'],
      areas: ['320106001003'],
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'likely',
      language: 'zh-CN',
      headline: 'h',
      acknowledgeBy: new Date(at + 15 * MINUTE).toISOString(),
      expiresAt: new Date(at + 24 * 60 * MINUTE).toISOString(),
      ...overrides,
    },
  };
}

class Fakes {
  records = new Map<number, Partial<AlertMessageDocument>>();
  scheduled: string[] = [];
  cancelled: string[] = [];

  repository = {
    ofAlert: async () => [...this.records.values()].map((record) => ({ ...record })),
    record: async (event: CloudEvent<Data>, issuedAt: Date, stop?: Partial<AlertMessageDocument>) => {
      const data = event.data;
      const current = this.records.get(data.sequence) ?? {};
      this.records.set(data.sequence, {
        ...current,
        alertId: data.alertId,
        sequence: data.sequence,
        incidentId: data.incidentId,
        messageType: data.messageType,
        issuedAt,
        sentAt: new Date(event.time),
        ...(data.acknowledgeBy ? { acknowledgeBy: new Date(data.acknowledgeBy) } : {}),
        ...stop,
      });
    },
    stop: async (_alertId: string, sequence: number, stop: Partial<AlertMessageDocument>) => {
      Object.assign(this.records.get(sequence)!, stop);
    },
  };

  scheduler = {
    schedule: async (definition: { name: string }, request: { key: readonly unknown[] }) => {
      this.scheduled.push(`${definition.name}:${request.key.join(':')}`);
    },
    cancel: async (definition: { name: string }, key: readonly unknown[]) => {
      this.cancelled.push(`${definition.name}:${key.join(':')}`);
      return true;
    },
  };

  service = new AlertMessagesService(this.repository as never, this.scheduler as never);
}

describe('alert messages and their chase timers', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('sets both timers of a message with a deadline; a redelivery sets nothing new and stops nothing', async () => {
    const fakes = new Fakes();
    await fakes.service.onIssued(issued(1));
    await fakes.service.onIssued(issued(1));
    expect(new Set(fakes.scheduled)).toEqual(
      new Set([`alert-acknowledge-by:${ALERT}:1`, `alert-silent-after:${ALERT}:1`]),
    );
    expect(fakes.cancelled).toEqual([]);
    expect(fakes.records.get(1)).toMatchObject({ issuedAt: new Date(T0 + MINUTE) });
  });

  it('an Update with its own deadline takes the chase over: the earlier timers withdrawn, its own set', async () => {
    const fakes = new Fakes();
    await fakes.service.onIssued(issued(1));
    await fakes.service.onIssued(issued(2));
    expect(fakes.records.get(1)).toMatchObject({ supersededBy: 2 });
    expect(fakes.cancelled).toEqual([`alert-acknowledge-by:${ALERT}:1`, `alert-silent-after:${ALERT}:1`]);
    expect(fakes.scheduled).toContain(`alert-acknowledge-by:${ALERT}:2`);
    // The alert's first issue time stays that of its first message.
    expect(fakes.records.get(2)).toMatchObject({ issuedAt: new Date(T0 + MINUTE) });
  });

  it('a Cancel ends every earlier chase and sets no timer of its own', async () => {
    const fakes = new Fakes();
    await fakes.service.onIssued(issued(1));
    await fakes.service.onIssued(issued(2));
    fakes.scheduled = [];
    fakes.cancelled = [];
    await fakes.service.onIssued(issued(3, { messageType: 'cancel', acknowledgeBy: undefined }));
    expect(fakes.records.get(1)).toMatchObject({ supersededBy: 2 });
    expect(fakes.records.get(2)?.cancelledAt).toEqual(new Date(T0 + 3 * MINUTE));
    expect(fakes.cancelled).toEqual([`alert-acknowledge-by:${ALERT}:2`, `alert-silent-after:${ALERT}:2`]);
    expect(fakes.scheduled).toEqual([]);
  });

  it('a message read after a later Cancel is recorded cancelled, without timers', async () => {
    const fakes = new Fakes();
    await fakes.service.onIssued(issued(2, { messageType: 'cancel', acknowledgeBy: undefined }));
    await fakes.service.onIssued(issued(1));
    expect(fakes.records.get(1)?.cancelledAt).toEqual(new Date(T0 + 2 * MINUTE));
    expect(fakes.scheduled).toEqual([]);
  });
});
