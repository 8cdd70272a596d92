// The day's elder visits (issue 9, part 2): an operator registers elders of 仙霞路社区 and adds one-off visits due
// within minutes (the service hands a visit due soon to dispatch at once); caregivers (gateway users acting for their
// dispatch providers) accept the visit jobs in dispatch, check in at the elder's home and check out in elder-care,
// which completes the job. Every create carries one Idempotency-Key kept across retries; actors act from the API.
import { randomUUID } from 'node:crypto';
import type { ChaosPlatform, DayPlan, LoadPart, PartCheck } from '../support/types';
import {
  ELDER_HOME,
  GatewayClient,
  GULOU,
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
import { checkVisits, type ObservedVisit, type VisitIntent } from './visit-check';

const XIANXIA_ROAD = '320106001003';
const SERVICES = ['meal-delivery', 'companionship', 'cleaning', 'health-check'] as const;
const CAREGIVERS = [
  { kind: 'volunteer', skills: ['meal-delivery', 'companionship'], capacity: 6 },
  { kind: 'social-organisation', skills: ['meal-delivery', 'cleaning', 'companionship'], capacity: 8 },
  { kind: 'community', skills: ['health-check', 'cleaning'], capacity: 5 },
];
const ELDERS = 8;
const VISITS_PER_SECOND = 0.15;

interface VisitsLedger {
  runId: string;
  startedAt: string;
  operator: Session;
  supervisor: Session;
  caregivers: (Session & { providerId: string })[];
  elders: string[];
  intents: VisitIntent[];
}

/** A valid 18-digit identity number (GB 11643): birth date, a random sequence whose parity is the gender (odd: male). */
function identityNumber(birthDate: string, male: boolean, random: () => number): string {
  const region = `3201${String(Math.floor(random() * 90) + 10)}`;
  const sequence = Math.floor(random() * 500) * 2 + (male ? 1 : 0);
  const body = `${region}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return body + '10X98765432'[sum % 11];
}

export function visitsPart(): LoadPart {
  let ledger: VisitsLedger | undefined;
  let gateway: GatewayClient;
  let actors: AbortController | undefined;
  const running: Promise<void>[] = [];
  let random = Math.random;
  const save = () => ledger && saveLedger('visits', ledger);

  async function create(intent: VisitIntent, retryForMs = 180_000): Promise<void> {
    for (let replans = 0; replans < 5; replans++) {
      const reply = await gateway.request(
        (ledger as VisitsLedger).operator,
        'POST',
        `/api/elder-care/elders/${intent.elderId}/visits`,
        {
          idempotencyKey: intent.idempotencyKey,
          retryForMs,
          body: { service: intent.service, dueAt: intent.dueAt },
        },
      );
      if (reply.status === 201 || reply.status === 200) {
        intent.visitId = reply.body.visitId as string;
        save();
        return;
      }
      // The service was down past the visit's time: the operator sets the next free minute (a refusal created
      // nothing, so the form is sent again with a new key) and the slot moves with the intent.
      const pastDue = reply.status === 400 && JSON.stringify(reply.body).includes('dueAt');
      if (!pastDue) return;
      Object.assign(intent, freeSlot(intent), { idempotencyKey: randomUUID() });
      intent.replanned = (intent.replanned ?? 0) + 1;
      save();
    }
  }

  /** A caregiver's phone: new visit offers taken (a few declined), held visits checked in at the door, then out. */
  async function caregiverStep(caregiver: Session & { providerId: string }): Promise<void> {
    const offered = await gateway.request(caregiver, 'GET', '/api/dispatch/jobs/offered', { retryForMs: 0 });
    for (const job of (offered.status === 200 ? offered.body.items : []) as Json[]) {
      const offerId = (job.offer?.offerId as string | undefined) ?? `${job.jobId}-${job.round}`;
      if (fractionOf(`${caregiver.providerId}/${offerId}`) < 0.9)
        await gateway.request(caregiver, 'POST', `/api/dispatch/jobs/${job.jobId}/accept`, {
          retryForMs: 20_000,
        });
      else
        await gateway.request(caregiver, 'POST', `/api/dispatch/jobs/${job.jobId}/decline`, {
          retryForMs: 20_000,
          body: { reason: 'busy' },
        });
    }
    const mine = await gateway.request(caregiver, 'GET', '/api/elder-care/visits?mine=true&pageSize=100', {
      retryForMs: 0,
    });
    for (const visit of (mine.status === 200 ? mine.body.items : []) as Json[]) {
      if (visit.status === 'assigned') {
        await gateway.request(caregiver, 'POST', `/api/elder-care/visits/${visit.visitId}/check-in`, {
          retryForMs: 20_000,
          body: { coordinates: { lat: ELDER_HOME.lat + 0.0002, lng: ELDER_HOME.lng } },
        });
      } else if (visit.status === 'checked-in') {
        await gateway.request(caregiver, 'POST', `/api/elder-care/visits/${visit.visitId}/check-out`, {
          retryForMs: 20_000,
          body: { itemsDone: [visit.service], observation: 'fine', notes: '老人精神很好' },
        });
      }
    }
  }

  /** The supervisor re-offers visit jobs that ran out of caregivers. */
  async function supervisorStep(): Promise<void> {
    const { supervisor, intents } = ledger as VisitsLedger;
    const list = await gateway.request(supervisor, 'GET', '/api/dispatch/jobs?escalated=true&pageSize=100', {
      retryForMs: 0,
    });
    if (list.status !== 200) return;
    const ours = new Set(intents.map((i) => i.visitId));
    for (const job of list.body.items as Json[])
      if (ours.has(job.origin?.aggregateId))
        await gateway.request(supervisor, 'POST', `/api/dispatch/jobs/${job.jobId}/reoffer`, {
          retryForMs: 20_000,
        });
  }

  function startActors(): void {
    if (actors) return;
    actors = new AbortController();
    const { signal } = actors;
    for (const caregiver of (ledger as VisitsLedger).caregivers)
      running.push(everyUntil(signal, 1_500, () => caregiverStep(caregiver)));
    running.push(everyUntil(signal, 3_000, supervisorStep));
  }

  /**
   * A free slot: elder-care names a one-off visit by its elder, service and local minute (a second one of the same
   * slot is the same visit), so each intent takes a slot of its own, due on a minute 20-80 s ahead. `keep` keeps
   * the elder and the service of a visit being re-planned.
   */
  function freeSlot(keep?: VisitIntent): Pick<VisitIntent, 'elderId' | 'service' | 'dueAt'> {
    const state = ledger as VisitsLedger;
    const taken = new Set(
      state.intents.filter((i) => i !== keep).map((i) => `${i.elderId}/${i.service}/${i.dueAt}`),
    );
    const minute = Math.ceil((Date.now() + 20_000) / 60_000) * 60_000;
    for (let tries = 0; ; tries++) {
      const slot = {
        elderId: keep?.elderId ?? (state.elders[Math.floor(random() * state.elders.length)] as string),
        service: keep?.service ?? (SERVICES[Math.floor(random() * SERVICES.length)] as string),
        dueAt: new Date(minute + Math.floor(tries / (keep ? 1 : 20)) * 60_000).toISOString(),
      };
      if (!taken.has(`${slot.elderId}/${slot.service}/${slot.dueAt}`)) return slot;
    }
  }

  function newIntent(): VisitIntent {
    const state = ledger as VisitsLedger;
    const intent: VisitIntent = {
      intentId: `${state.runId}-V${state.intents.length + 1}`,
      idempotencyKey: randomUUID(),
      ...freeSlot(),
    };
    state.intents.push(intent);
    save();
    return intent;
  }

  return {
    name: 'visits',
    env: {},

    async prepare(platform: ChaosPlatform, plan: DayPlan): Promise<void> {
      gateway = new GatewayClient(platform.gatewayUrl, platform.log);
      random = seededRandom(plan.seed + 1);
      const runId = runIdOf(plan.seed);
      const password = `chaos-${runId}-${randomUUID().slice(0, 8)}`;
      const admin: Session = { username: 'admin', password: platform.adminPassword };
      ledger = {
        runId,
        startedAt: new Date().toISOString(),
        operator: { username: `chaos-eop-${runId}`, password },
        supervisor: { username: `chaos-esup-${runId}`, password },
        caregivers: CAREGIVERS.map((_, k) => ({
          username: `chaos-cg-${runId}-${k + 1}`,
          password,
          providerId: `chaos-cg-${runId}-${k + 1}`,
        })),
        elders: [],
        intents: [],
      };
      const { operator, supervisor } = ledger;
      await ensureUser(gateway, admin, { ...operator, roles: ['operator'], jurisdiction: GULOU });
      await ensureUser(gateway, admin, { ...supervisor, roles: ['supervisor'], jurisdiction: GULOU });
      const listed = await gateway.request(
        supervisor,
        'GET',
        '/api/dispatch/providers?available=true&pageSize=100',
      );
      for (const old of (listed.status === 200 ? listed.body.items : []) as Json[])
        if (String(old.providerId).startsWith('chaos-cg-'))
          await gateway.request(supervisor, 'PATCH', `/api/dispatch/providers/${old.providerId}`, {
            body: { available: false },
          });
      for (const [k, caregiver] of ledger.caregivers.entries()) {
        const team = CAREGIVERS[k] as (typeof CAREGIVERS)[number];
        const reply = await gateway.request(supervisor, 'POST', '/api/dispatch/providers', {
          idempotencyKey: `provider-${caregiver.providerId}`,
          body: {
            providerId: caregiver.providerId,
            name: `仙霞路助老服务队 ${k + 1}`,
            ...team,
            serviceAreas: [GULOU],
            available: true,
            jurisdiction: GULOU,
          },
        });
        if (reply.status !== 201 && reply.status !== 409)
          throw new Error(`caregiver not registered: ${reply.status} ${JSON.stringify(reply.body)}`);
        await ensureUser(gateway, admin, { ...caregiver, roles: ['provider'], jurisdiction: GULOU });
      }
      for (let k = 0; k < ELDERS; k++) {
        const birthDate = `19${40 + Math.floor(random() * 20)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
        const reply = await gateway.request(operator, 'POST', '/api/elder-care/elders', {
          idempotencyKey: `elder-${runId}-${k}`,
          body: {
            name: ['周桂英', '吴德明', '孙秀兰', '钱志强'][k % 4],
            gender: k % 2 ? 'male' : 'female',
            birthDate,
            identityNumber: identityNumber(birthDate, k % 2 === 1, random),
            phone: `1395110${String(2000 + k)}`,
            community: XIANXIA_ROAD,
            address: `仙霞路 ${10 + k} 号`,
            home: ELDER_HOME,
            // Living with family, no hardship: the day's visits are the load's, not 走访发现's safety visits.
            livingSituation: 'with-family',
            careLevel: 'self-care',
            hardship: [],
            emergencyContacts: [{ name: '李明', relation: 'son', phone: '13912345678' }],
            consentToServices: true,
          },
        });
        const elderId = reply.body?.elderId;
        if (typeof elderId !== 'string')
          throw new Error(`elder not registered: ${reply.status} ${JSON.stringify(reply.body)}`);
        ledger.elders.push(elderId);
      }
      save();
    },

    async play(_platform: ChaosPlatform, plan: DayPlan, signal: AbortSignal): Promise<void> {
      startActors();
      const gapMs = 1_000 / (VISITS_PER_SECOND * Math.max(plan.intensity, 0.05));
      const ends = Date.now() + plan.durationMs;
      while (!signal.aborted && Date.now() < ends) {
        running.push(create(newIntent()).catch(() => undefined));
        await sleep(-Math.log(1 - random()) * gapMs);
      }
    },

    async finish(platform: ChaosPlatform, timeoutMs: number): Promise<void> {
      const state = ledger as VisitsLedger;
      startActors();
      const until = Date.now() + timeoutMs;
      for (;;) {
        await Promise.all(state.intents.filter((i) => !i.visitId).map((i) => create(i, 10_000)));
        let open = 0;
        for (const intent of state.intents) {
          const reply = intent.visitId
            ? await gateway.request(state.supervisor, 'GET', `/api/elder-care/visits/${intent.visitId}`, {
                retryForMs: 5_000,
              })
            : undefined;
          if (reply?.status !== 200 || reply.body.status !== 'completed') open += 1;
        }
        platform.log(`visits: ${state.intents.length - open}/${state.intents.length} completed`);
        if (open === 0 || Date.now() > until) break;
        await sleep(3_000);
      }
      actors?.abort();
      await Promise.all(running.splice(0));
      actors = undefined;
      for (const caregiver of state.caregivers)
        await gateway.request(state.supervisor, 'PATCH', `/api/dispatch/providers/${caregiver.providerId}`, {
          retryForMs: 10_000,
          body: { available: false },
        });
      save();
    },

    async check(platform: ChaosPlatform): Promise<PartCheck> {
      ledger ??= loadLedger<VisitsLedger>('visits');
      if (!ledger) throw new Error('visits: no ledger in memory nor in tmp/chaos/ledger-visits.json');
      gateway ??= new GatewayClient(platform.gatewayUrl, platform.log);
      const state = ledger;
      // The database: every visit of this run's elders; the API: each one as the supervisor sees it.
      const careDb = await platform.database('elder-care');
      const stored = await careDb
        .collection('visits')
        .find({ elderId: { $in: state.elders } })
        .toArray();
      const careUrl = platform.serviceUrls['elder-care'][0] as string;
      const notes: string[] = [];
      const visits: ObservedVisit[] = [];
      for (const doc of stored) {
        const visitId = String(doc['visitId'] ?? doc['_id']);
        const view = await serviceRead(careUrl, state.supervisor, gateway, `/visits/${visitId}`);
        if (view.status !== 200) notes.push(`${visitId}: API answered ${view.status}`);
        else if (view.body.status !== doc['status'])
          notes.push(`${visitId}: API says ${view.body.status}, the database ${String(doc['status'])}`);
        visits.push({
          visitId,
          elderId: String(doc['elderId']),
          service: String(doc['service']),
          dueAt: new Date(doc['dueAt'] as Date).toISOString(),
          status: String(doc['status']),
          checkedIn: Boolean(doc['checkIn']),
          checkedOut: Boolean(doc['checkOut']),
        });
      }
      const dispatchDb = await platform.database('dispatch');
      const jobs = await dispatchDb
        .collection('jobs')
        .find({ 'origin.aggregateId': { $in: visits.map((v) => v.visitId) } })
        .toArray();
      const result = checkVisits({
        intents: state.intents,
        visits,
        jobs: jobs.map((doc) => ({
          jobId: String(doc['_id']),
          visitId: String(doc['origin']?.aggregateId),
          status: String(doc['status']),
        })),
      });
      result.notes.push(
        ...notes,
        `${stored.length} visits of ${state.elders.length} elders, ${jobs.length} jobs`,
        `${state.intents.filter((i) => i.replanned).length} re-planned (the service was down past their time)`,
      );
      return result;
    },

    async probe(platform: ChaosPlatform): Promise<void> {
      const intent = newIntent();
      await create(intent, 60_000);
      if (!intent.visitId) throw new Error('probe: the visit was not created');
      const until = Date.now() + 120_000;
      while (Date.now() < until) {
        const reply = await gateway.request(
          (ledger as VisitsLedger).supervisor,
          'GET',
          `/api/elder-care/visits/${intent.visitId}`,
          {
            retryForMs: 0,
          },
        );
        if (reply.status === 200 && reply.body.jobId) {
          platform.log(`visits probe: ${intent.visitId} dispatched`);
          return;
        }
        await sleep(250);
      }
      throw new Error(`probe: visit ${intent.visitId} not dispatched in 120 s`);
    },
  };
}

export const visits: LoadPart = visitsPart();
export default visits;
