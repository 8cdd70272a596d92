// The day's hotline tickets (issue 9, part 2): operators of Gulou take calls of four categories through the
// gateway, providers (each a gateway user acting for its dispatch provider) work their offers as people do (most
// accept, some decline with a reason, some let the offer lapse), start and complete; the call-back falls due and
// the operator records the answer (a few are not answered the first time); a few tickets are cancelled by their
// operator and a few callers ring twice about the same thing (likely duplicates, still separate tickets).
// Every actor acts from what the API shows it; every create carries one Idempotency-Key kept across retries.
import { createHash, randomUUID } from 'node:crypto';
import type { ChaosPlatform, DayPlan, LoadPart, PartCheck } from '../support/types';
import {
  GatewayClient,
  GULOU,
  NINGHAI_ROAD_COMMUNITIES,
  ensureUser,
  everyUntil,
  fractionOf,
  loadLedger,
  runIdOf,
  saveLedger,
  seededRandom,
  serviceRead,
  sleep,
  type Json,
  type Session,
} from './support-tickets';
import {
  OPEN_JOB_STATUSES,
  checkTickets,
  expectedFinal,
  type ObservedJob,
  type ObservedTicket,
  type TicketIntent,
} from './ticket-check';

/** Short timers: an offer lapses in 8 s, the call-back falls due 4 s after the resolution (retry 3 s), ... */
const ENV = {
  OFFERS_PER_ROUND: '3',
  OFFER_TIMEOUT_MS: '8000',
  OFFER_TIMEOUT_IMMEDIATE_MS: '8000',
  CALLBACK_DELAY_MS: '4000',
  CALLBACK_RETRY_DELAY_MS: '3000',
  // An offer expiry (or call-back timer) that was running in a killed instance is taken as abandoned after 45 s, not
  // 10 minutes, and dispatch looks for such work and for lost offer timers every 10 s: the day is compressed, so is
  // its recovery (with the defaults a kill -9 at the wrong instant leaves an offer open for ten minutes).
  SCHEDULED_WORK_RUNNING_TIMEOUT_MS: '45000',
  RECONCILE_INTERVAL_MS: '10000',
  CONSUMER_SESSION_TIMEOUT_MS: '6000',
  CONSUMER_HEARTBEAT_INTERVAL_MS: '1000',
  // One load generator signs many users in from one address and polls as they do.
  RATE_LIMIT_PER_USER_PER_MINUTE: '100000',
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000',
  LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10000',
};

/** The categories of the day's calls, their skill in dispatch, and what callers say. */
const CALLS = [
  { category: 'repair', description: '厨房水龙头漏水，需要上门维修' },
  { category: 'property', description: '楼道灯坏了，晚上很黑' },
  { category: 'sanitation', description: '小区垃圾桶三天没有清运，气味很大' },
  { category: 'housekeeping', description: '独居老人家里需要打扫卫生' },
];

/** The teams on duty: kinds, skills (as the catalogue names them) and capacities. */
const TEAMS = [
  { kind: 'community', skills: ['repair', 'sanitation'], capacity: 4 },
  { kind: 'company', skills: ['property-management', 'repair'], capacity: 6 },
  { kind: 'community', skills: ['repair'], capacity: 3 },
  { kind: 'company', skills: ['sanitation', 'property-management'], capacity: 4 },
  { kind: 'social-organisation', skills: ['housekeeping'], capacity: 4 },
  { kind: 'volunteer', skills: ['housekeeping', 'repair'], capacity: 3 },
];

/** Creations a second at intensity 1 (the tickets' share of ~1/s across all parts on two cores). */
const TICKETS_PER_SECOND = 0.35;
const MARKER = /\[chaos (\S+)\]/;

interface TicketsLedger {
  runId: string;
  startedAt: string;
  operators: Session[];
  supervisor?: Session;
  providers: (Session & { providerId: string })[];
  intents: TicketIntent[];
}

export function ticketsPart(): LoadPart {
  let ledger: TicketsLedger | undefined;
  let gateway: GatewayClient;
  let actors: AbortController | undefined;
  const running: Promise<void>[] = [];
  let random = Math.random;

  const save = () => ledger && saveLedger('tickets', ledger);
  const operatorOf = (intent: TicketIntent) =>
    (ledger as TicketsLedger).operators.find((o) => o.username === intent.operator) as Session;

  /** Creates the ticket of an intent (retried with its key); cancels it later if the intent says so. */
  async function create(intent: TicketIntent, retryForMs = 180_000): Promise<void> {
    const call = CALLS.find((c) => c.category === intent.category) as (typeof CALLS)[number];
    const reply = await gateway.request(operatorOf(intent), 'POST', '/api/resident-requests/tickets', {
      idempotencyKey: intent.idempotencyKey,
      retryForMs,
      body: {
        channel: 'hotline',
        category: intent.category,
        description: `${call.description} [chaos ${intent.intentId}]`,
        reporter: { name: '王秀英', phone: intent.phone },
        place: { communityCode: intent.communityCode, address: '宁海路 12 号 3 单元 502 室' },
      },
    });
    if (reply.status === 201 || reply.status === 200) {
      intent.ticketId = reply.body.ticketId as string;
      save();
    }
    if (intent.ticketId && intent.cancel && !intent.cancelOutcome && !intent.probe) {
      await sleep(1_000 + random() * 3_000);
      await cancel(intent);
    }
  }

  /** The operator cancels; a 409 is an answer: the ticket's state says whether it is cancelled or moved on. */
  async function cancel(intent: TicketIntent): Promise<void> {
    const operator = operatorOf(intent);
    const reply = await gateway.request(
      operator,
      'POST',
      `/api/resident-requests/tickets/${intent.ticketId}/cancel`,
      { body: { reason: 'withdrawn', note: '来电人已自行解决' } },
    );
    if (reply.status === 200) intent.cancelOutcome = 'cancelled';
    else if (reply.status === 409) {
      const now = await gateway.request(operator, 'GET', `/api/resident-requests/tickets/${intent.ticketId}`);
      if (now.status === 200)
        intent.cancelOutcome = now.body.status === 'cancelled' ? 'cancelled' : 'refused';
    }
    save();
  }

  /** A provider's worklist, polled: answer new offers once, start what it holds, complete what it started. */
  async function providerStep(provider: Session & { providerId: string }): Promise<void> {
    const offered = await gateway.request(provider, 'GET', '/api/dispatch/jobs/offered', { retryForMs: 0 });
    for (const job of (offered.status === 200 ? offered.body.items : []) as Json[]) {
      const offerId = (job.offer?.offerId as string | undefined) ?? `${job.jobId}-${job.round}`;
      const choice = fractionOf(`${provider.providerId}/${offerId}`);
      if (choice < 0.72) {
        await gateway.request(provider, 'POST', `/api/dispatch/jobs/${job.jobId}/accept`, {
          retryForMs: 20_000,
        });
      } else if (choice < 0.85) {
        await gateway.request(provider, 'POST', `/api/dispatch/jobs/${job.jobId}/decline`, {
          retryForMs: 20_000,
          body: { reason: 'busy', note: '今天排满了' },
        });
      } // else: nobody looks at the phone, the offer lapses
    }
    const mine = await gateway.request(provider, 'GET', '/api/dispatch/jobs/mine', { retryForMs: 0 });
    for (const job of (mine.status === 200 ? mine.body.items : []) as Json[]) {
      if (job.status === 'accepted') {
        await gateway.request(provider, 'POST', `/api/dispatch/jobs/${job.jobId}/start`, {
          retryForMs: 20_000,
          body: {},
        });
      } else if (job.status === 'started') {
        await gateway.request(provider, 'POST', `/api/dispatch/jobs/${job.jobId}/complete`, {
          retryForMs: 20_000,
          body: { outcome: 'done', workDone: '已上门处理完毕' },
        });
      }
    }
  }

  /** An operator's call-back worklist: the calls it took whose call-back is due get their answer. */
  async function operatorStep(operator: Session): Promise<void> {
    const list = await gateway.request(operator, 'GET', '/api/resident-requests/callbacks', {
      retryForMs: 0,
    });
    if (list.status !== 200) return;
    const mine = new Map(
      (ledger as TicketsLedger).intents
        .filter((i) => i.operator === operator.username && i.ticketId)
        .map((i) => [i.ticketId as string, i]),
    );
    for (const item of list.body.items as Json[]) {
      const intent = mine.get(item.ticketId as string);
      if (!intent || item.callback?.status !== 'due') continue;
      const unanswered = intent.unansweredFirst && (item.callback?.attempts ?? 0) === 0;
      await gateway.request(operator, 'POST', `/api/resident-requests/tickets/${intent.ticketId}/callback`, {
        retryForMs: 30_000,
        body: unanswered
          ? { answered: false }
          : {
              answered: true,
              satisfaction: 3 + Math.floor(fractionOf(intent.intentId) * 3),
              comment: '满意',
            },
      });
    }
  }

  /** The supervisor re-offers this part's jobs that ran out of candidates (every offer lapsed or was declined). */
  async function supervisorStep(): Promise<void> {
    const { supervisor, intents } = ledger as TicketsLedger;
    const list = await gateway.request(
      supervisor as Session,
      'GET',
      '/api/dispatch/jobs?escalated=true&pageSize=100',
      {
        retryForMs: 0,
      },
    );
    if (list.status !== 200) return;
    const ours = new Set(intents.map((i) => i.ticketId));
    for (const job of list.body.items as Json[]) {
      if (!ours.has(job.origin?.aggregateId)) continue;
      await gateway.request(supervisor as Session, 'POST', `/api/dispatch/jobs/${job.jobId}/reoffer`, {
        retryForMs: 20_000,
      });
    }
  }

  function startActors(platform: ChaosPlatform): void {
    if (actors) return;
    actors = new AbortController();
    const { signal } = actors;
    const state = ledger as TicketsLedger;
    for (const provider of state.providers)
      running.push(everyUntil(signal, 1_500, () => providerStep(provider)));
    for (const operator of state.operators)
      running.push(everyUntil(signal, 2_000, () => operatorStep(operator)));
    running.push(everyUntil(signal, 3_000, supervisorStep));
    platform.log(`tickets: ${state.providers.length} providers, ${state.operators.length} operators at work`);
  }

  async function stopActors(): Promise<void> {
    actors?.abort();
    await Promise.all(running.splice(0));
    actors = undefined;
  }

  function newIntent(operator: Session, extra: Partial<TicketIntent> = {}): TicketIntent {
    const state = ledger as TicketsLedger;
    const n = state.intents.length + 1;
    const call = CALLS[Math.floor(random() * CALLS.length)] as (typeof CALLS)[number];
    const intent: TicketIntent = {
      intentId: `${state.runId}-T${n}`,
      idempotencyKey: randomUUID(),
      operator: operator.username,
      category: call.category,
      communityCode: NINGHAI_ROAD_COMMUNITIES[
        Math.floor(random() * NINGHAI_ROAD_COMMUNITIES.length)
      ] as string,
      phone: `139${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
      cancel: random() < 0.08,
      unansweredFirst: random() < 0.1,
      ...extra,
    };
    // A caller who rings again about the same thing: same phone, category and community as an earlier call.
    const earlier = state.intents.filter((i) => !i.probe);
    if (!extra.probe && earlier.length > 3 && random() < 0.05) {
      const first = earlier[Math.floor(random() * earlier.length)] as TicketIntent;
      Object.assign(intent, {
        phone: first.phone,
        category: first.category,
        communityCode: first.communityCode,
      });
    }
    state.intents.push(intent);
    save();
    return intent;
  }

  return {
    name: 'tickets',
    env: ENV,

    async prepare(platform: ChaosPlatform, plan: DayPlan): Promise<void> {
      gateway = new GatewayClient(platform.gatewayUrl, platform.log);
      random = seededRandom(plan.seed);
      const runId = runIdOf(plan.seed);
      const password = `chaos-${runId}-${randomUUID().slice(0, 8)}`;
      const admin: Session = { username: 'admin', password: platform.adminPassword };
      const session = (username: string): Session => ({ username, password });
      ledger = {
        runId,
        startedAt: new Date().toISOString(),
        operators: [1, 2, 3].map((k) => session(`chaos-op-${runId}-${k}`)),
        supervisor: session(`chaos-sup-${runId}`),
        providers: TEAMS.map((_, k) => ({
          ...session(`chaos-prv-${runId}-${k + 1}`),
          providerId: `chaos-tk-${runId}-${k + 1}`,
        })),
        intents: [],
      };
      for (const operator of ledger.operators)
        await ensureUser(gateway, admin, { ...operator, roles: ['operator'], jurisdiction: GULOU });
      const supervisor = ledger.supervisor as Session;
      await ensureUser(gateway, admin, { ...supervisor, roles: ['supervisor'], jurisdiction: GULOU });
      // The previous shifts' teams go off duty: offers go to the people working today.
      const listed = await gateway.request(
        supervisor,
        'GET',
        '/api/dispatch/providers?available=true&pageSize=100',
      );
      for (const old of (listed.status === 200 ? listed.body.items : []) as Json[]) {
        if (String(old.providerId).startsWith('chaos-tk-'))
          await gateway.request(supervisor, 'PATCH', `/api/dispatch/providers/${old.providerId}`, {
            body: { available: false },
          });
      }
      for (const [k, provider] of ledger.providers.entries()) {
        const team = TEAMS[k] as (typeof TEAMS)[number];
        const reply = await gateway.request(supervisor, 'POST', '/api/dispatch/providers', {
          idempotencyKey: `provider-${provider.providerId}`,
          body: {
            providerId: provider.providerId,
            name: `鼓楼服务队 ${k + 1}`,
            kind: team.kind,
            skills: team.skills,
            serviceAreas: [GULOU],
            capacity: team.capacity,
            available: true,
            jurisdiction: GULOU,
          },
        });
        if (reply.status !== 201 && reply.status !== 409)
          throw new Error(`provider not registered: ${reply.status} ${JSON.stringify(reply.body)}`);
        await ensureUser(gateway, admin, {
          ...provider,
          roles: ['provider'],
          jurisdiction: GULOU,
          providerId: provider.providerId,
        });
      }
      save();
    },

    async play(platform: ChaosPlatform, plan: DayPlan, signal: AbortSignal): Promise<void> {
      const state = ledger as TicketsLedger;
      startActors(platform);
      const gapMs = 1_000 / (TICKETS_PER_SECOND * Math.max(plan.intensity, 0.05));
      const ends = Date.now() + plan.durationMs;
      let k = 0;
      while (!signal.aborted && Date.now() < ends) {
        const operator = state.operators[k++ % state.operators.length] as Session;
        // Not awaited: a call that hangs in a fault does not stop the next caller.
        running.push(create(newIntent(operator)).catch(() => undefined));
        // Poisson-like arrivals around the plan's pace.
        await sleep(-Math.log(1 - random()) * gapMs);
      }
    },

    async finish(platform: ChaosPlatform, timeoutMs: number): Promise<void> {
      const state = ledger as TicketsLedger;
      startActors(platform);
      const until = Date.now() + timeoutMs;
      const supervisor = state.supervisor as Session;
      for (;;) {
        // Calls whose creation never got an answer are made again, with the same key.
        await Promise.all(state.intents.filter((i) => !i.ticketId).map((i) => create(i, 10_000)));
        for (const intent of state.intents.filter((i) => i.cancel && i.ticketId && !i.cancelOutcome))
          await cancel(intent);
        let open = 0;
        for (const intent of state.intents) {
          if (!intent.ticketId) {
            open += 1;
            continue;
          }
          const reply = await gateway.request(
            supervisor,
            'GET',
            `/api/resident-requests/tickets/${intent.ticketId}`,
            { retryForMs: 5_000 },
          );
          if (reply.status !== 200 || reply.body.status !== expectedFinal(intent)) open += 1;
        }
        platform.log(`tickets: ${state.intents.length - open}/${state.intents.length} final`);
        if (open === 0 || Date.now() > until) break;
        await sleep(3_000);
      }
      await stopActors();
      // The shift ends: these teams take no more offers (a later run's offers go to its own teams).
      for (const provider of state.providers)
        await gateway.request(supervisor, 'PATCH', `/api/dispatch/providers/${provider.providerId}`, {
          retryForMs: 10_000,
          body: { available: false },
        });
      save();
    },

    async check(platform: ChaosPlatform): Promise<PartCheck> {
      ledger ??= loadLedger<TicketsLedger>('tickets');
      if (!ledger) throw new Error('tickets: no ledger in memory nor in tmp/chaos/ledger-tickets.json');
      gateway ??= new GatewayClient(platform.gatewayUrl, platform.log);
      const state = ledger;
      const operator = state.operators[0] as Session;
      for (const s of state.operators) if (!s.userId) await gateway.signIn(s);
      // The database: every ticket this run's operators took (by the intake's actor), and its state.
      const requestsDb = await platform.database('resident-requests');
      const operatorIds = state.operators.map((o) => o.userId ?? o.username);
      const stored = await requestsDb
        .collection('tickets')
        .find({ 'timeline.0.actorId': { $in: operatorIds }, createdAt: { $gte: new Date(state.startedAt) } })
        .toArray();
      const requestsUrl = platform.serviceUrls['resident-requests'][0] as string;
      const tickets: ObservedTicket[] = [];
      const notes: string[] = [];
      for (const doc of stored) {
        const ticketId = String(doc['ticketId'] ?? doc['_id']);
        // The API: the description (encrypted at rest) names the intent; status and timeline as users see them.
        const view = await serviceRead(requestsUrl, operator, gateway, `/tickets/${ticketId}`);
        if (view.status !== 200) {
          notes.push(`${ticketId}: API answered ${view.status}`);
          continue;
        }
        if (view.body.status !== doc['status'])
          notes.push(`${ticketId}: API says ${view.body.status}, the database ${String(doc['status'])}`);
        tickets.push({
          ticketId,
          intentId: MARKER.exec(String(view.body.description))?.[1],
          status: view.body.status,
          timeline: view.body.timeline,
          callbackStatus: view.body.callback?.status,
          satisfaction: view.body.satisfaction?.score,
        });
      }
      // dispatch's database: the jobs of these tickets, and any job offered to or held by this run's teams.
      const dispatchDb = await platform.database('dispatch');
      const providerIds = state.providers.map((p) => p.providerId);
      const jobDocs = await dispatchDb
        .collection('jobs')
        .find({
          $or: [
            { 'origin.aggregateId': { $in: tickets.map((t) => t.ticketId) } },
            { providerId: { $in: providerIds } },
            { 'offers.providerId': { $in: providerIds } },
          ],
        })
        .toArray();
      const jobs: ObservedJob[] = jobDocs.map((doc) => ({
        jobId: String(doc['_id']),
        originId: String(doc['origin']?.aggregateId),
        status: String(doc['status']),
        providerId: doc['providerId'] as string | undefined,
        offeredTo: ((doc['offers'] ?? []) as Json[]).map((o) => o.providerId as string),
      }));
      const providerDocs = await dispatchDb
        .collection('providers')
        .find({ _id: { $in: providerIds } } as Json)
        .toArray();
      const result = checkTickets({
        intents: state.intents,
        tickets,
        jobs,
        providers: providerDocs.map((doc) => ({
          providerId: String(doc['_id']),
          capacity: Number(doc['capacity']),
          load: Number(doc['load'] ?? 0),
        })),
      });
      const open = jobs.filter((j) => OPEN_JOB_STATUSES.includes(j.status)).length;
      // The same intents as the database stores them: by the hash of caller, operation and key (ADR 0035).
      const byKey = new Map<string, string>();
      for (const doc of stored) {
        const key = (doc['idempotency'] as { key?: string } | undefined)?.key;
        if (key) byKey.set(key, String(doc['ticketId'] ?? doc['_id']));
      }
      let keyed = 0;
      for (const intent of state.intents) {
        const userId = state.operators.find((o) => o.username === intent.operator)?.userId;
        const hash = createHash('sha256')
          .update(`${userId}\u0000tickets.create\u0000${intent.idempotencyKey}`)
          .digest('hex');
        const ticketId = byKey.get(hash);
        if (ticketId) keyed += 1;
        if (ticketId && intent.ticketId && ticketId !== intent.ticketId)
          notes.push(`${intent.intentId}: its key is on ${ticketId}, the API answered ${intent.ticketId}`);
      }
      result.notes.push(
        ...notes,
        `${keyed}/${state.intents.length} intents found in the database by their Idempotency-Key`,
        `${stored.length} tickets in the database by this run's operators, ${jobs.length} jobs (${open} open)`,
        `${state.intents.filter((i) => i.cancel).length} cancels planned (${state.intents.filter((i) => i.cancelOutcome === 'refused').length} refused: already resolved)`,
      );
      return result;
    },

    async probe(platform: ChaosPlatform): Promise<void> {
      const state = ledger as TicketsLedger;
      const operator = state.operators[0] as Session;
      const intent = newIntent(operator, { probe: true, cancel: true, category: 'repair' });
      await create(intent, 60_000);
      if (!intent.ticketId) throw new Error('probe: the ticket was not created');
      const supervisor = state.supervisor as Session;
      const until = Date.now() + 120_000;
      for (;;) {
        if (Date.now() > until) throw new Error(`probe: ticket ${intent.ticketId} not offered in 120 s`);
        const jobs = await gateway.request(
          supervisor,
          'GET',
          `/api/dispatch/jobs?origin=${intent.ticketId}`,
          {
            retryForMs: 0,
          },
        );
        const offered = (jobs.status === 200 ? jobs.body.items : []).some((job: Json) =>
          (job.timeline ?? []).some((entry: Json) => entry.type === 'offered'),
        );
        if (offered) break;
        await sleep(250);
      }
      platform.log(`tickets probe: ${intent.ticketId} offered`);
      // The caller needed nothing after all: the probe's ticket is withdrawn (or, if already done, called back).
      await cancel(intent);
    },
  };
}

export const tickets: LoadPart = ticketsPart();
export default tickets;
