// The day's incident and its broadcast as a LoadPart of the chaos run: once per run a coordinator of 秦淮区
// declares a flood for 夫子庙街道 with its communities, activates it, issues an alert to everyone there and later an
// update; recipients get it (community workers signed in, in the app or by SMS first; residents subscribed by SMS)
// and most of them answer, some twice (the second answer must change nothing): staff in the app, residents through
// the link in the SMS the fake gateway took for them. At the end the coordinator cancels the alert, gives the
// all-clear and closes the incident. SMS leave through notifications' real `http` adapter to the fake gateway of
// this process (fake-sms-gateway.ts), which the part's env names: made with no argument (as the chaos runner does),
// the part uses the process's shared one on CHAOS_FAKE_SMS_PORT (42690); `createAlertsPart(await
// startFakeSmsGateway())` gives it another. Either way the part is made before the platform starts.
import { randomUUID } from 'node:crypto';
import { administrativeTree } from '@linli/divisions';
import { idempotencyRecord } from '@linli/persistence';
import type { ChaosPlatform, DayPlan, LoadPart, PartCheck } from '../support/types';
import { checkAlerts, type AlertRecipientIntent, type AlertsSeen } from './alerts.rules';
import {
  allPages,
  ensureUser,
  GatewayUser,
  readLedger,
  request,
  carefully,
  seededRandom,
  sleep,
  writeLedger,
  type Json,
} from './careful-user';
import { sharedFakeSmsGateway, type FakeSmsGateway, type TakenSms } from './fake-sms-gateway';

const DISTRICT = '320104';
/** 夫子庙街道 of 秦淮区: the street the day's flood covers. */
const STREET = '320104002';
const PASSWORD = 'chaos-load-alerts-2026!';
const STAFF = 6;
const RESIDENTS = 6;
const POLL_MS = 1_000;
/** The alert goes out this far into the day, the update this far. */
const ALERT_AT = 0.15;
const UPDATE_AT = 0.5;

type MessageIntent = 'alert' | 'update' | 'cancel';

interface AlertsLedger {
  part: 'alerts';
  runId: string;
  startedAt: string;
  title: string;
  keys: Record<MessageIntent | 'incident', string>;
  incidentId?: string;
  alertId?: string;
  /** Messages the coordinator sent (each once, whatever the retries). */
  sent: MessageIntent[];
  closed: boolean;
  recipients: AlertRecipientIntent[];
  /** What the fake gateway took for this alert, kept so a check can be re-run from the file. */
  sms?: TakenSms[];
  smsRepeats?: Record<string, number>;
}

export class AlertsPart implements LoadPart {
  readonly name = 'alerts';
  readonly env: Record<string, string>;
  private ledger?: AlertsLedger;
  private coordinator?: GatewayUser;
  private supervisor?: GatewayUser;
  private staff = new Map<string, GatewayUser>();
  private actors: Promise<void>[] = [];
  private actorsStop = false;
  private answered = new Map<string, number>();
  private readonly sending = new Map<MessageIntent, Promise<void>>();
  private declaring?: Promise<void>;

  /** Made by the chaos runner with no argument: the process's shared fake gateway (sharedFakeSmsGateway). */
  constructor(private readonly sms: FakeSmsGateway & { ready?: Promise<void> } = sharedFakeSmsGateway()) {
    this.env = {
      SMS_ADAPTER: 'http',
      SMS_GATEWAY_URL: sms.url,
      // The whole load signs in and calls from one address (the same values as the tickets part: parts' env are
      // merged, and a lower limit here would throttle the others).
      LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10000',
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000',
      RATE_LIMIT_PER_USER_PER_MINUTE: '100000',
    };
  }

  async prepare(platform: ChaosPlatform, plan?: DayPlan): Promise<void> {
    await this.sms.ready; // a port taken by something else fails here, before any work
    this.sms.clear(); // a new platform: what the gateway took for the last one is not this one's
    const admin = new GatewayUser(platform.gatewayUrl, 'admin', platform.adminPassword);
    await ensureUser(
      admin,
      {
        username: 'chaos-la-coordinator',
        displayName: '秦淮区应急 (chaos)',
        roles: ['coordinator'],
        jurisdiction: DISTRICT,
      },
      PASSWORD,
    );
    await ensureUser(
      admin,
      {
        username: 'chaos-la-supervisor',
        displayName: '秦淮区督办 (chaos)',
        roles: ['supervisor'],
        jurisdiction: DISTRICT,
      },
      PASSWORD,
    );
    this.coordinator = new GatewayUser(platform.gatewayUrl, 'chaos-la-coordinator', PASSWORD);
    this.supervisor = new GatewayUser(platform.gatewayUrl, 'chaos-la-supervisor', PASSWORD);
    const communities = administrativeTree()
      .childrenOf(STREET)
      .map((division) => division.code);
    const random = seededRandom((plan?.seed ?? 1) ^ 0xa1e7);
    const answers = (): 0 | 1 | 2 => {
      const roll = random();
      return roll < 0.15 ? 0 : roll < 0.6 ? 1 : 2;
    };
    const recipients: AlertRecipientIntent[] = [];
    // Community workers (网格员): users of the gateway whose user id is their contact id; every third by SMS first.
    for (let i = 1; i <= STAFF; i += 1) {
      const username = `chaos-la-worker-${i}`;
      await ensureUser(
        admin,
        { username, displayName: `夫子庙街道网格员 ${i}`, roles: ['operator'], jurisdiction: STREET },
        PASSWORD,
      );
      const channel = i % 3 === 0 ? 'sms' : 'in-app';
      const phone = `1365104${String(1000 + i)}`;
      const put = await this.supervisor.call('PUT', `/api/notifications/contacts/${username}`, {
        kind: 'community-worker',
        areas: [communities[i % communities.length]],
        channels: channel === 'sms' ? ['sms', 'in-app'] : ['in-app', 'sms'],
        phone,
      });
      if (put.status !== 200 && put.status !== 201)
        throw new Error(`contact ${username}: ${put.status} ${JSON.stringify(put.body)}`);
      this.staff.set(username, new GatewayUser(platform.gatewayUrl, username, PASSWORD));
      recipients.push({
        recipientId: username,
        username,
        channel,
        phone,
        answers: answers(),
        response: random() < 0.5 ? 'safe' : 'received',
      });
    }
    // Residents subscribed by SMS (居民短信订阅): no account; they answer by the link in their SMS.
    for (let i = 1; i <= RESIDENTS; i += 1) {
      const phone = `1365105${String(1000 + i)}`;
      const answer = await this.coordinator.call('POST', '/api/notifications/subscriptions', {
        community: communities[(i + 2) % communities.length],
        phone,
      });
      if (answer.status !== 200 && answer.status !== 201)
        throw new Error(`subscription ${i}: ${answer.status} ${JSON.stringify(answer.body)}`);
      recipients.push({
        recipientId: String(answer.body.subscriptionId),
        channel: 'sms',
        phone,
        answers: answers(),
        response: random() < 0.5 ? 'safe' : 'received',
      });
    }
    const runId = Date.now().toString(36);
    this.ledger = {
      part: 'alerts',
      runId,
      startedAt: new Date(Date.now() - 1_000).toISOString(),
      title: `夫子庙街道 暴雨内涝 (chaos ${runId})`,
      keys: { incident: randomUUID(), alert: randomUUID(), update: randomUUID(), cancel: randomUUID() },
      sent: [],
      closed: false,
      recipients,
    };
    this.answered.clear();
    this.declaring = undefined;
    this.save();
    platform.log(
      `alerts: ${STAFF} community workers and ${RESIDENTS} subscribed residents in 夫子庙街道 (${STREET})`,
    );
  }

  async play(platform: ChaosPlatform, plan: DayPlan, signal: AbortSignal): Promise<void> {
    const ledger = this.mustLedger();
    this.actorsStop = false;
    this.actors = [this.loop(platform, () => this.recipientsRound())];
    const startedAt = Date.now();
    const until = (fraction: number) =>
      sleepUnless(signal, startedAt + plan.durationMs * fraction - Date.now());
    await until(ALERT_AT);
    await this.declareAndAlert();
    platform.log(`alerts: incident ${ledger.incidentId}, alert ${ledger.alertId} issued`);
    await until(UPDATE_AT);
    await this.send('update');
  }

  async finish(platform: ChaosPlatform, timeoutMs: number): Promise<void> {
    const giveUpAt = Date.now() + timeoutMs;
    const ledger = this.mustLedger();
    try {
      if (!ledger.alertId) await this.declareAndAlert();
      if (!ledger.sent.includes('update')) await this.send('update');
      // Everyone who means to answer has answered before the all-clear (the answers go on below if not).
      while (
        Date.now() < giveUpAt &&
        ledger.recipients.some((r) => (this.answered.get(r.recipientId) ?? 0) < r.answers)
      )
        await sleep(1_000);
      await this.send('cancel');
      await this.closeIncident();
      let check = await this.check(platform);
      while (check.lost.length > 0 && Date.now() < giveUpAt) {
        await sleep(3_000);
        check = await this.check(platform);
      }
      platform.log(`alerts: finished with ${check.final}/${check.expected} final`);
    } finally {
      this.actorsStop = true;
      await Promise.all(this.actors);
    }
  }

  async check(platform: ChaosPlatform): Promise<PartCheck> {
    const ledger = this.ledger ?? readLedger<AlertsLedger>('alerts');
    const emergency = await platform.database('emergency');
    const notifications = await platform.database('notifications');
    const incidents = await emergency
      .collection('incidents')
      .find({ title: ledger.title })
      .project({ _id: 1, status: 1 })
      .toArray();
    const incidentIds = incidents.map((i) => String(i['_id']));
    const alerts = await emergency
      .collection('alerts')
      .find({ incidentId: { $in: incidentIds } })
      .toArray();
    const alertId = ledger.alertId ?? (alerts[0] ? String(alerts[0]['_id']) : undefined);
    const seen: AlertsSeen = {
      incidents: incidents.map((i) => ({ incidentId: String(i['_id']), status: String(i['status']) })),
      alerts: alerts.map((a) => ({
        alertId: String(a['_id']),
        sequences: ((a['messages'] as Json[]) ?? []).map((m) => Number(m.sequence)),
      })),
      deliveries: [],
      inbox: {},
      sms: [],
      smsRepeats: {},
      recipients: [],
    };
    if (alertId) {
      const deliveries = await notifications
        .collection('notificationdeliveries')
        .find({ messageKey: { $regex: `^alert:${escapeRegex(alertId)}:` } })
        .project({ _id: 1, messageKey: 1, recipientId: 1, channel: 1 })
        .toArray();
      seen.deliveries = deliveries.map((d) => ({
        deliveryId: String(d['_id']),
        messageKey: String(d['messageKey']),
        recipientId: String(d['recipientId']),
        channel: String(d['channel']),
      }));
      const references = new Set(seen.deliveries.map((d) => d.deliveryId));
      if (this.ledger) {
        // The gateway's record of this alert, kept in the ledger for a later re-check.
        this.ledger.sms = this.sms
          .taken()
          .filter((m) => m.alertId === alertId || references.has(m.reference));
        const repeats = this.sms.repeats();
        this.ledger.smsRepeats = Object.fromEntries(
          Object.entries(repeats).filter(([ref]) => references.has(ref)),
        );
        this.save();
      }
      seen.sms = (ledger.sms ?? []).map((m) => ({ reference: m.reference, to: m.to }));
      seen.smsRepeats = ledger.smsRepeats ?? {};
      // The API's account of the deliveries must match the database's.
      const viaApi = await allPages(
        (path) => (this.supervisor as GatewayUser).call('GET', path),
        `/api/notifications/deliveries?messageKey=${encodeURIComponent(`alert:${alertId}:1`)}`,
      ).catch(() => undefined);
      const firstInDb = seen.deliveries.filter((d) => d.messageKey === `alert:${alertId}:1`).length;
      const records = await emergency
        .collection('alert_recipients')
        .find({ alertId })
        .project({ recipientId: 1, acknowledgedAt: 1, response: 1 })
        .toArray();
      seen.recipients = records.map((r) => ({
        recipientId: String(r['recipientId']),
        acknowledged: Boolean(r['acknowledgedAt']),
        response: r['response'] as string | undefined,
      }));
      for (const recipient of ledger.recipients.filter((r) => r.username)) {
        const user =
          this.staff.get(recipient.username as string) ??
          new GatewayUser(platform.gatewayUrl, recipient.username as string, PASSWORD);
        const inbox = await user.call('GET', '/api/notifications/inbox?limit=100');
        seen.inbox[recipient.recipientId] = ((inbox.body?.items ?? []) as Json[]).filter(
          (item) => item.data?.alertId === alertId,
        ).length;
      }
      const result = checkAlerts({ messages: ledger.sent.length, recipients: ledger.recipients }, seen);
      // The declaration and the issue as stored under the Idempotency-Key they carried (scoped by libs/persistence).
      const stored = (operation: string, key: string) =>
        idempotencyRecord({ key, fingerprint: '' }, 'chaos-la-coordinator', operation)?.key;
      const incidentsKeyed = await emergency
        .collection('incidents')
        .countDocuments({ 'idempotency.key': stored('incidents.declare', ledger.keys.incident) });
      const alertsKeyed = await emergency
        .collection('alerts')
        .countDocuments({ 'idempotency.key': stored('alerts.issue', ledger.keys.alert) });
      result.notes.push(
        `under their Idempotency-Key: ${incidentsKeyed} incident, ${alertsKeyed} alert (of 1 each)`,
      );
      if (viaApi && viaApi.length !== firstInDb)
        result.notes.push(
          `deliveries of the alert's first message: ${viaApi.length} through the API, ${firstInDb} in the database`,
        );
      return result;
    }
    return checkAlerts({ messages: ledger.sent.length, recipients: ledger.recipients }, seen);
  }

  /** Recovered when a coordinator's read of the incidents answers and the SMS gateway's stand-in takes a message. */
  async probe(platform: ChaosPlatform): Promise<void> {
    const coordinator =
      this.coordinator ?? new GatewayUser(platform.gatewayUrl, 'chaos-la-coordinator', PASSWORD);
    const answer = await coordinator.call('GET', '/api/emergency/incidents?pageSize=1');
    if (answer.status !== 200) throw new Error(`incidents: ${answer.status}`);
  }

  private mustLedger(): AlertsLedger {
    if (!this.ledger) throw new Error('alerts: prepare first');
    return this.ledger;
  }

  private save(): void {
    if (this.ledger) writeLedger('alerts', this.ledger);
  }

  /** Declares the incident, activates it and issues the alert. */
  private async declareAndAlert(): Promise<void> {
    await this.send('alert');
  }

  /** The incident declared and activated, once (a declaration in flight is joined). */
  private declared(): Promise<void> {
    this.declaring ??= this.declareOnce().catch((error: unknown) => {
      this.declaring = undefined;
      throw error;
    });
    return this.declaring;
  }

  private async declareOnce(): Promise<void> {
    const ledger = this.mustLedger();
    const coordinator = this.coordinator as GatewayUser;
    if (!ledger.incidentId) {
      const declared = await coordinator.call(
        'POST',
        '/api/emergency/incidents',
        {
          kind: 'flood',
          severity: 'severe',
          title: ledger.title,
          description: '强降雨导致夫子庙街道低洼路段和地下车库积水，部分老旧小区一楼进水。',
          areas: administrativeTree()
            .childrenOf(STREET)
            .map((division) => division.code),
        },
        ledger.keys.incident,
      );
      if (declared.status !== 201 && declared.status !== 200)
        throw new Error(`incident: ${declared.status} ${JSON.stringify(declared.body)}`);
      ledger.incidentId = declared.body.incidentId;
      this.save();
      // 409 when it is active already: the answer, not a failure.
      await coordinator.call('POST', `/api/emergency/incidents/${ledger.incidentId}/activate`);
    }
  }

  /**
   * One message of the alert, sent once: the ledger says what was sent, and a send in flight (play's, when finish
   * comes at the same moment) is joined, not repeated.
   */
  private send(message: MessageIntent): Promise<void> {
    let sending = this.sending.get(message);
    if (!sending) {
      sending = this.sendOnce(message).finally(() => this.sending.delete(message));
      this.sending.set(message, sending);
    }
    return sending;
  }

  private async sendOnce(message: MessageIntent): Promise<void> {
    const ledger = this.mustLedger();
    if (ledger.sent.includes(message)) return;
    if (message === 'alert') await this.declared();
    const coordinator = this.coordinator as GatewayUser;
    let answer;
    if (message === 'alert') {
      answer = await coordinator.call(
        'POST',
        `/api/emergency/incidents/${ledger.incidentId}/alerts`,
        {
          audiences: ['community-workers', 'residents'],
          headline: '暴雨内涝预警：夫子庙街道低洼路段积水',
          description: '未来3小时仍有强降雨，低洼路段和地下车库积水加深。',
          instruction: '请勿前往地下车库和低洼路段。收到请确认。',
          urgency: 'immediate',
          severity: 'severe',
          certainty: 'observed',
          response: 'avoid',
        },
        ledger.keys.alert,
      );
      if (answer.status === 201 || answer.status === 200) ledger.alertId = answer.body.alertId;
    } else if (message === 'update') {
      answer = await coordinator.call(
        'POST',
        `/api/emergency/alerts/${ledger.alertId}/updates`,
        { instruction: '积水仍在上涨，请低楼层住户做好转移准备。', severity: 'severe' },
        ledger.keys.update,
      );
    } else {
      answer = await coordinator.call(
        'POST',
        `/api/emergency/alerts/${ledger.alertId}/cancel`,
        { reason: '预警解除' },
        ledger.keys.cancel,
      );
    }
    if (answer.status !== 201 && answer.status !== 200)
      throw new Error(`${message} of the alert: ${answer.status} ${JSON.stringify(answer.body)}`);
    ledger.sent.push(message);
    this.save();
  }

  private async closeIncident(): Promise<void> {
    const ledger = this.mustLedger();
    const coordinator = this.coordinator as GatewayUser;
    // Each answers 409 when the incident is past it already: read as done.
    await coordinator.call('POST', `/api/emergency/incidents/${ledger.incidentId}/all-clear`);
    const closed = await coordinator.call('POST', `/api/emergency/incidents/${ledger.incidentId}/close`, {
      reason: 'all-clear',
    });
    if (closed.status !== 200 && closed.status !== 409)
      throw new Error(`close: ${closed.status} ${JSON.stringify(closed.body)}`);
    ledger.closed = true;
    this.save();
  }

  /** Runs the recipients' rounds until finish stops them; an error in a round is noted and they go on. */
  private async loop(platform: ChaosPlatform, round: () => Promise<void>): Promise<void> {
    while (!this.actorsStop) {
      try {
        await round();
      } catch (error) {
        platform.log(`alerts: a recipient's round failed: ${(error as Error).message}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** Each recipient who means to answer and has the alert in front of them (inbox item, SMS) answers. */
  private async recipientsRound(): Promise<void> {
    const ledger = this.mustLedger();
    const alertId = ledger.alertId;
    if (!alertId) return;
    for (const recipient of ledger.recipients) {
      const done = this.answered.get(recipient.recipientId) ?? 0;
      if (done >= recipient.answers) continue;
      if (recipient.channel === 'in-app') {
        const user = this.staff.get(recipient.username as string) as GatewayUser;
        const inbox = await user.call('GET', '/api/notifications/inbox?limit=100');
        if (!((inbox.body?.items ?? []) as Json[]).some((item) => item.data?.alertId === alertId)) continue;
        const answer = await user.call('POST', `/api/emergency/alerts/${alertId}/acknowledgements`, {
          response: done === 0 ? recipient.response : otherResponse(recipient.response),
        });
        if (answer.status === 201 || answer.status === 200)
          this.answered.set(recipient.recipientId, done + 1);
      } else {
        // The phone: the SMS of this alert the gateway took for it, with its link (a worker by SMS signs in no less).
        const sms = this.sms
          .taken()
          .find((m) => m.to === recipient.phone && m.alertId === alertId && m.token);
        if (!sms) continue;
        const answer = await carefully(`link answer of ${recipient.recipientId}`, () =>
          request(
            `${(this.coordinator as GatewayUser).gatewayUrl}/api/emergency/acknowledgements/link`,
            'POST',
            {},
            {
              alertId,
              recipientId: sms.recipientId,
              token: sms.token,
              response: done === 0 ? recipient.response : otherResponse(recipient.response),
            },
          ),
        );
        if (answer.status === 201 || answer.status === 200)
          this.answered.set(recipient.recipientId, done + 1);
      }
    }
  }
}

const otherResponse = (response: 'safe' | 'received') => (response === 'safe' ? 'received' : 'safe');

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function sleepUnless(signal: AbortSignal, ms: number): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

export function createAlertsPart(sms: FakeSmsGateway): AlertsPart {
  return new AlertsPart(sms);
}
