// The day's mediation cases (人民调解) as a LoadPart of the chaos run: an operator takes dispute calls on the hotline
// (each ticket opens its case by itself) and opens some cases by hand; mediators of 秦淮区, dispatch providers of
// the skill mediation with users of their own, accept the offers on their list, record the parties, schedule a
// session, record it held, record the outcome the intent asked for (an agreement with a term, or none), and record
// the follow-up when it falls due; the operator answers the call-back (回访) of each resolved ticket. Every actor
// acts from what the API shows them. The check reads the tickets and cases of this run from the services'
// databases and ties each to its intent by the marker in its description, read through the API (descriptions are
// personal data, encrypted at rest). 秦淮区 (320104) is this part's own district: no other part works there.
import { randomUUID } from 'node:crypto';
import { idempotencyRecord } from '@linli/persistence';
import { administrativeTree } from '@linli/divisions';
import type { ChaosPlatform, DayPlan, LoadPart, PartCheck } from '../support/types';
import {
  allPages,
  ensureUser,
  GatewayUser,
  readLedger,
  seededRandom,
  sleep,
  writeLedger,
  type Json,
} from './careful-user';
import { checkCases, type CaseIntent, type CasesSeen, type SeenCase, type SeenTicket } from './cases.rules';

/** 秦淮区 of Nanjing, and 秦虹街道 in it: where the day's disputes happen. */
export const CASES_DISTRICT = '320104';
const STREET = '320104001';
const PASSWORD = 'chaos-load-cases-2026!';
const MEDIATORS = ['chaos-mediator-1', 'chaos-mediator-2', 'chaos-mediator-3'];
/** One new case every this many ms at intensity 1 (a case is a dozen requests and a few short timers). */
const CASE_EVERY_MS = 8_000;
/** How often an actor looks at their worklist. */
const POLL_MS = 1_000;
/** A session is scheduled this far ahead (recorded once its time has come). */
const SESSION_AHEAD_MS = 3_000;
/** A probe's case that has not opened by then is a failed probe. */
const PROBE_WITHIN_MS = 300_000;
const MARKER = /\[(lc-[a-z0-9]+-\d+)\]/;

interface CasesLedger {
  part: 'cases';
  runId: string;
  startedAt: string;
  intents: CaseIntent[];
  /** Creations that got a final answer other than created (the checker's notes). */
  refusals: string[];
}

const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export class CasesPart implements LoadPart {
  readonly name = 'cases';
  /** Short timers: the follow-up 4 s after an agreement, a reminder 2 s before a session, the call-back in 4 s. */
  readonly env: Record<string, string> = {
    FOLLOW_UP_AFTER_MS: '4000',
    SESSION_REMINDER_LEADS_MS: '2000',
    CALLBACK_DELAY_MS: '4000', // as the tickets part has it
    // The whole load signs in and calls from one address (the same values as the tickets part: parts' env are
    // merged, and a lower limit here would throttle the others).
    LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10000',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000',
    RATE_LIMIT_PER_USER_PER_MINUTE: '100000',
  };

  private ledger?: CasesLedger;
  private communities: string[] = [];
  private operator?: GatewayUser;
  private supervisor?: GatewayUser;
  private mediators: GatewayUser[] = [];
  private actors: Promise<void>[] = [];
  private actorsStop = false;
  private readonly problems: string[] = [];
  private count = 0;

  async prepare(platform: ChaosPlatform, _plan?: DayPlan): Promise<void> {
    const gateway = platform.gatewayUrl;
    const admin = new GatewayUser(gateway, 'admin', platform.adminPassword);
    this.communities = administrativeTree()
      .childrenOf(STREET)
      .map((division) => division.code);
    const users = [
      { username: 'chaos-lc-operator', displayName: '秦淮区热线 (chaos)', roles: ['operator'] },
      { username: 'chaos-lc-supervisor', displayName: '秦淮区督办 (chaos)', roles: ['supervisor'] },
      ...MEDIATORS.map((id) => ({
        username: id,
        displayName: `人民调解员 ${id}`,
        roles: ['mediator'],
        providerId: id,
      })),
    ];
    for (const user of users) await ensureUser(admin, { ...user, jurisdiction: CASES_DISTRICT }, PASSWORD);
    this.operator = new GatewayUser(gateway, 'chaos-lc-operator', PASSWORD);
    this.supervisor = new GatewayUser(gateway, 'chaos-lc-supervisor', PASSWORD);
    this.mediators = MEDIATORS.map((id) => new GatewayUser(gateway, id, PASSWORD));
    for (const providerId of MEDIATORS) {
      const answer = await this.supervisor.call('POST', '/api/dispatch/providers', {
        providerId,
        name: `秦淮区人民调解委员会 ${providerId}`,
        kind: 'community',
        skills: ['mediation'],
        serviceAreas: [CASES_DISTRICT],
        jurisdiction: CASES_DISTRICT,
        capacity: 50,
        available: true,
      });
      if (answer.status !== 201 && answer.status !== 409)
        throw new Error(
          `mediator ${providerId} not registered: ${answer.status} ${JSON.stringify(answer.body)}`,
        );
    }
    platform.log(`cases: ${MEDIATORS.length} mediators and their users in 秦淮区 (${CASES_DISTRICT})`);
  }

  async play(platform: ChaosPlatform, plan: DayPlan, signal: AbortSignal): Promise<void> {
    this.newLedger();
    this.actorsStop = false;
    this.actors = [
      ...this.mediators.map((mediator) => this.loop(platform, () => this.mediatorRound(mediator))),
      this.loop(platform, () => this.operatorRound()),
      this.loop(platform, () => this.supervisorRound()),
    ];
    const random = seededRandom(plan.seed ^ 0xca5e);
    const every = CASE_EVERY_MS / Math.max(plan.intensity, 0.05);
    const endAt = Date.now() + plan.durationMs;
    const creations: Promise<void>[] = [];
    while (!signal.aborted && Date.now() < endAt) {
      const intent = this.intend(
        random() < 0.65 ? 'dispute-ticket' : 'hand-opened',
        random() < 0.7 ? 'agreement' : 'failed',
      );
      creations.push(
        this.create(intent).catch((error) => {
          this.problems.push(`${intent.intentId}: ${(error as Error).message}`);
        }),
      );
      await sleepUnless(signal, every * (0.5 + random()));
    }
    await Promise.all(creations);
    const intents = this.ledger?.intents ?? [];
    platform.log(
      `cases: ${intents.length} cases intended (${intents.filter((i) => i.kind === 'dispute-ticket').length} by dispute calls)`,
    );
  }

  async finish(platform: ChaosPlatform, timeoutMs: number): Promise<void> {
    const giveUpAt = Date.now() + timeoutMs;
    try {
      // Done when the check finds nothing open: the actors keep working until then.
      let check = await this.check(platform);
      while (check.lost.length > 0 && Date.now() < giveUpAt) {
        await sleep(3_000);
        check = await this.check(platform);
      }
      platform.log(`cases: finished with ${check.final}/${check.expected} final`);
    } finally {
      this.actorsStop = true;
      await Promise.all(this.actors);
    }
  }

  async check(platform: ChaosPlatform): Promise<PartCheck> {
    const ledger = this.ledger ?? readLedger<CasesLedger>('cases');
    const supervisor =
      this.supervisor ?? new GatewayUser(platform.gatewayUrl, 'chaos-lc-supervisor', PASSWORD);
    const communities = this.communities.length
      ? this.communities
      : administrativeTree()
          .childrenOf(STREET)
          .map((division) => division.code);
    const since = new Date(ledger.startedAt);
    const requests = await platform.database('resident-requests');
    const mediation = await platform.database('mediation');
    const ticketDocs = await requests
      .collection('tickets')
      .find({ category: 'dispute', 'place.communityCode': { $in: communities }, createdAt: { $gte: since } })
      .project({ _id: 1, status: 1 })
      .toArray();
    const caseDocs = await mediation
      .collection('cases')
      .find({ communityCode: { $in: communities }, openedAt: { $gte: since } })
      .project({
        _id: 1,
        status: 1,
        ticketId: 1,
        outcome: 1,
        previousOutcomes: 1,
        closed: 1,
        sessions: 1,
        followUps: 1,
      })
      .toArray();
    const requestsUrl = firstUrl(platform, 'resident-requests');
    const mediationUrl = firstUrl(platform, 'mediation');
    const notes: string[] = [];
    const tickets: SeenTicket[] = [];
    for (const doc of ticketDocs) {
      const view = await supervisor.callService(requestsUrl, 'GET', `/tickets/${doc['_id']}`);
      if (view.status === 200 && view.body.status !== doc['status'])
        notes.push(`ticket ${doc['_id']}: API says ${view.body.status}, database ${doc['status']}`);
      tickets.push({
        ticketId: String(doc['_id']),
        status: String(doc['status']),
        marker: MARKER.exec(String(view.body?.description ?? ''))?.[1],
      });
    }
    const cases: SeenCase[] = [];
    for (const doc of caseDocs) {
      const view = await supervisor.callService(mediationUrl, 'GET', `/cases/${doc['_id']}`);
      if (view.status === 200 && view.body.status !== doc['status'])
        notes.push(`case ${doc['_id']}: API says ${view.body.status}, database ${doc['status']}`);
      cases.push({
        caseId: String(doc['_id']),
        status: String(doc['status']),
        ticketId: doc['ticketId'] as string | undefined,
        marker: MARKER.exec(String(view.body?.description ?? ''))?.[1],
        outcomeKind: (doc['outcome'] as Json)?.kind,
        previousOutcomes: ((doc['previousOutcomes'] as Json[]) ?? []).length,
        closedReason: (doc['closed'] as Json)?.reason,
        sessions: ((doc['sessions'] as Json[]) ?? []).map((s) => ({
          sessionId: s.sessionId,
          status: s.status,
        })),
        followUps: ((doc['followUps'] as Json[]) ?? []).map((f) => ({
          followUpId: f.followUpId,
          status: f.status,
        })),
      });
    }
    const seen: CasesSeen = { tickets, cases };
    const result = checkCases(ledger.intents, seen);
    // The Idempotency-Key each creation carried, as the services store it (scoped to the caller and the operation):
    // how many creations are held under their key (the rest were made by a service that does not take one yet).
    const keyOf = (intent: CaseIntent) =>
      storedIdempotencyKey(
        'chaos-lc-operator',
        intent.kind === 'dispute-ticket' ? 'tickets.create' : 'cases.open',
        intent.idempotencyKey,
      );
    const keyed =
      (await requests
        .collection('tickets')
        .countDocuments({ 'idempotency.key': { $in: ledger.intents.map(keyOf) } })) +
      (await mediation
        .collection('cases')
        .countDocuments({ 'idempotency.key': { $in: ledger.intents.map(keyOf) } }));
    result.notes.push(`${keyed} of ${ledger.intents.length} creations stored under their Idempotency-Key`);
    result.notes.push(...notes, ...ledger.refusals, ...this.problems);
    return result;
  }

  /**
   * A dispute call whose case opens by itself: the operator's POST to the case in mediation's list. It is one more
   * intent of the day (the mediators take it to its end like the others, and the check counts it).
   */
  async probe(platform: ChaosPlatform): Promise<void> {
    if (!this.ledger) this.newLedger();
    const intent = this.intend('dispute-ticket', 'agreement');
    await this.create(intent);
    if (!intent.ticketId)
      throw new Error(`probe ${intent.intentId}: no ticket (${this.ledger?.refusals.at(-1)})`);
    const operator = this.operator ?? new GatewayUser(platform.gatewayUrl, 'chaos-lc-operator', PASSWORD);
    const giveUpAt = Date.now() + PROBE_WITHIN_MS;
    while (Date.now() < giveUpAt) {
      const found = await operator.call(
        'GET',
        `/api/mediation/cases?ticketId=${encodeURIComponent(intent.ticketId)}`,
      );
      if (found.status === 200 && found.body.total >= 1) return;
      await sleep(500);
    }
    throw new Error(
      `probe ${intent.intentId}: no case for ticket ${intent.ticketId} within ${PROBE_WITHIN_MS} ms`,
    );
  }

  private newLedger(): void {
    this.count = 0;
    this.ledger = {
      part: 'cases',
      runId: Date.now().toString(36),
      startedAt: new Date(Date.now() - 1_000).toISOString(),
      intents: [],
      refusals: [],
    };
    this.save();
  }

  /** A new intent in the ledger (written at once, before anything is sent). */
  private intend(kind: CaseIntent['kind'], outcome: CaseIntent['outcome']): CaseIntent {
    const ledger = this.ledger as CasesLedger;
    this.count += 1;
    const marker = `lc-${ledger.runId}-${this.count}`;
    const intent: CaseIntent = {
      intentId: marker,
      kind,
      idempotencyKey: randomUUID(),
      marker,
      outcome,
      createdAt: new Date().toISOString(),
    };
    ledger.intents.push(intent);
    this.save();
    return intent;
  }

  private save(): void {
    if (this.ledger) writeLedger('cases', this.ledger);
  }

  private async create(intent: CaseIntent): Promise<void> {
    const operator = this.operator as GatewayUser;
    const community = this.communities[this.count % this.communities.length] as string;
    if (intent.kind === 'dispute-ticket') {
      const answer = await operator.call(
        'POST',
        '/api/resident-requests/tickets',
        disputeCall(intent.marker, community),
        intent.idempotencyKey,
      );
      if (answer.status === 201 || answer.status === 200) intent.ticketId = answer.body.ticketId;
      else this.refuse(intent, answer.status, answer.body);
    } else {
      const answer = await operator.call(
        'POST',
        '/api/mediation/cases',
        {
          caseType: 'neighbour',
          riskLevel: 'low',
          communityCode: community,
          description: `楼上漏水渗到楼下，双方就维修费用协商不成，申请调解 [${intent.marker}]`,
          parties: parties(intent.marker),
        },
        intent.idempotencyKey,
      );
      if (answer.status === 201 || answer.status === 200) intent.caseId = answer.body.caseId;
      else this.refuse(intent, answer.status, answer.body);
    }
    this.save();
  }

  private refuse(intent: CaseIntent, status: number, body: Json): void {
    this.ledger?.refusals.push(
      `${intent.intentId} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`,
    );
  }

  /** Runs one actor's rounds until finish stops them; an error in a round is noted and the actor goes on. */
  private async loop(platform: ChaosPlatform, round: () => Promise<void>): Promise<void> {
    while (!this.actorsStop) {
      try {
        await round();
      } catch (error) {
        platform.log(`cases: an actor's round failed: ${(error as Error).message}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** A mediator's look at their lists: offers to accept, cases to move on. */
  private async mediatorRound(mediator: GatewayUser): Promise<void> {
    const offered = await mediator.call('GET', '/api/dispatch/jobs/offered');
    for (const job of (offered.body?.items ?? []) as Json[]) {
      // 409: taken by another mediator or already ours; the case list says which.
      await mediator.call('POST', `/api/dispatch/jobs/${encodeURIComponent(job.jobId)}/accept`);
    }
    for (const status of ['assigned', 'in-mediation', 'agreed']) {
      const mine = await allPages(
        (path) => mediator.call('GET', path),
        `/api/mediation/cases?mine=true&status=${status}`,
      );
      for (const summary of mine) await this.moveCase(mediator, summary.caseId as string);
    }
  }

  /** One step of a case the mediator holds, from its current view. */
  private async moveCase(mediator: GatewayUser, caseId: string): Promise<void> {
    const path = `/api/mediation/cases/${encodeURIComponent(caseId)}`;
    const view = (await mediator.call('GET', path)).body as Json;
    if (!view?.status) return;
    const marker = MARKER.exec(String(view.description ?? ''))?.[1];
    const intent = this.ledger?.intents.find(
      (i) => (marker && i.marker === marker) || (view.ticketId && i.ticketId === view.ticketId),
    );
    const sessions = (view.sessions ?? []) as Json[];
    const live = sessions.filter((s) => s.status !== 'cancelled');
    if (view.status === 'assigned' || (view.status === 'in-mediation' && live.length === 0)) {
      if ((view.parties ?? []).length < 2)
        await mediator.call('PUT', `${path}/parties`, { parties: parties(marker ?? caseId) });
      if (live.length === 0)
        await mediator.call(
          'POST',
          `${path}/sessions`,
          {
            scheduledFor: new Date(Date.now() + SESSION_AHEAD_MS).toISOString(),
            place: '秦虹街道人民调解室',
          },
          `${caseId}:session:1`,
        );
      return;
    }
    if (view.status === 'in-mediation') {
      const due = live.find((s) => s.status === 'scheduled' && Date.parse(s.scheduledFor) <= Date.now());
      if (due) {
        await mediator.call('POST', `${path}/sessions/${due.sessionId}/record`, {
          attendance: ((view.parties ?? []) as Json[]).map((p) => ({ partyId: p.partyId, present: true })),
          minutes: '双方陈述了各自意见，调解员释法说理。',
        });
        return;
      }
      if (live.some((s) => s.status === 'held') && !view.outcome) {
        const outcome =
          (intent?.outcome ?? 'agreement') === 'agreement'
            ? {
                kind: 'agreement',
                reason: '双方自愿达成调解协议',
                agreement: {
                  text: '楼上住户承担维修费用，一周内修复。',
                  terms: [{ text: '一周内修复渗水', dueDate: chinaToday() }],
                },
              }
            : { kind: 'failed', reason: '双方分歧较大，调解不成' };
        await mediator.call('POST', `${path}/outcome`, outcome);
      }
      return;
    }
    if (view.status === 'agreed') {
      const terms = ((view.outcome?.agreement?.terms ?? []) as Json[]).map((t) => ({
        termId: t.termId,
        kept: true,
        note: '回访时双方确认已履行',
      }));
      for (const followUp of ((view.followUps ?? []) as Json[]).filter((f) => f.status === 'due'))
        await mediator.call('POST', `${path}/follow-ups/${followUp.followUpId}`, { terms });
    }
  }

  /**
   * The district's supervisor re-offers the mediator requests that ran out of candidates (every offer lapsed or was
   * declined while the mediators were busy): the case waits, escalated, until someone acts, as it would in an office.
   * Only 秦淮区's jobs are visible to this supervisor, and only this part works there.
   */
  private async supervisorRound(): Promise<void> {
    const supervisor = this.supervisor as GatewayUser;
    const escalated = await supervisor.call('GET', '/api/dispatch/jobs?escalated=true&pageSize=100');
    for (const job of (escalated.body?.items ?? []) as Json[]) {
      if (job.origin?.service !== 'mediation') continue;
      await supervisor.call('POST', `/api/dispatch/jobs/${encodeURIComponent(job.jobId)}/reoffer`);
    }
  }

  /** The operator's call-back worklist: each resolved dispute ticket of the run is called back once. */
  private async operatorRound(): Promise<void> {
    const operator = this.operator as GatewayUser;
    const worklist = await operator.call('GET', '/api/resident-requests/callbacks');
    const mine = new Set((this.ledger?.intents ?? []).map((i) => i.ticketId).filter(Boolean));
    for (const item of (worklist.body?.items ?? []) as Json[]) {
      if (item.category !== 'dispute') continue;
      if (!mine.has(item.ticketId)) {
        // A ticket whose creation answer was lost: its description says whether it is one of ours.
        const ticket = await operator.call(
          'GET',
          `/api/resident-requests/tickets/${encodeURIComponent(item.ticketId)}`,
        );
        const marker = MARKER.exec(String(ticket.body?.description ?? ''))?.[1];
        if (!marker || !this.ledger?.intents.some((i) => i.marker === marker)) continue;
      }
      await operator.call(
        'POST',
        `/api/resident-requests/tickets/${encodeURIComponent(item.ticketId)}/callback`,
        {
          answered: true,
          satisfaction: 5,
          comment: '调解结果已知悉',
        },
      );
    }
  }
}

/** The key as a service stores it (scoped to the caller and the operation, by libs/persistence's own rule). */
function storedIdempotencyKey(caller: string, operation: string, key: string): string {
  return idempotencyRecord({ key, fingerprint: '' }, caller, operation)?.key as string;
}

function disputeCall(marker: string, community: string): Json {
  return {
    channel: 'hotline',
    category: 'dispute',
    description: `楼上邻居深夜噪音扰民，多次协商未果，双方发生争吵，请求调解 [${marker}]`,
    reporter: { name: '陈女士', phone: phoneOf(`${marker}:reporter`) },
    place: { communityCode: community, address: '秦虹路 18 号 2 单元 301 室' },
  };
}

function parties(seed: string): Json[] {
  return [
    { role: 'applicant', name: '张美华', phone: phoneOf(`${seed}:applicant`) },
    { role: 'respondent', name: '李国强', phone: phoneOf(`${seed}:respondent`) },
  ];
}

/** A mainland mobile number derived from a seed: the same intent has the same phone on every try. */
function phoneOf(seed: string): string {
  let hash = 2166136261;
  for (const char of seed) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return `137${String(hash % 100_000_000).padStart(8, '0')}`;
}

function firstUrl(platform: ChaosPlatform, service: 'resident-requests' | 'mediation'): string {
  const url = platform.serviceUrls[service]?.[0];
  if (!url) throw new Error(`no URL of ${service}`);
  return url;
}

function sleepUnless(signal: AbortSignal, ms: number): Promise<void> {
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

export const casesPart = new CasesPart();
