// The runner's own small load, for when the real parts (tests/chaos/load/) are absent or to try the runner quickly:
// hotline repair tickets through the gateway, each taken by one provider team (accept, start, complete) until the
// ticket is resolved. Its check: one ticket per intent (by Idempotency-Key), resolved, with exactly one completed
// job in dispatch's database.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ChaosPlatform, DayPlan, Finding, LoadPart, PartCheck } from './types';

const GULOU = '320106';
const COMMUNITY = '320106001003';
const RETRY_FOR_MS = 180_000;

interface Intent {
  key: string;
  ticketId?: string;
  jobId?: string;
  done?: boolean;
}

type Json = Record<string, unknown>;

export function smokePart(): LoadPart {
  const run = randomBytes(3).toString('hex');
  const intents: Intent[] = [];
  const providerId = `chaos-smoke-${run}`;
  const users = { operator: `smoke-op-${run}`, provider: `smoke-prv-${run}`, supervisor: `smoke-sup-${run}` };
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const tokens = new Map<string, { token: string; at: number }>();
  let gateway = '';
  let pendingProbe: Intent | undefined;

  async function request(method: string, path: string, bearer?: string, body?: unknown, key?: string) {
    const response = await fetch(gateway + path, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let parsed: Json = {};
    try {
      parsed = text ? (JSON.parse(text) as Json) : {};
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed };
  }

  /** Retries network errors and 5xx/429 with backoff; any other answer is returned. */
  async function careful(method: string, path: string, bearer?: string, body?: unknown, key?: string) {
    const until = Date.now() + RETRY_FOR_MS;
    for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
      try {
        const reply = await request(method, path, bearer, body, key);
        if (reply.status < 500 && reply.status !== 429) return reply;
        if (Date.now() > until) return reply;
      } catch (error) {
        if (Date.now() > until) throw error;
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  async function tokenOf(username: string, secret: string): Promise<string> {
    const cached = tokens.get(username);
    if (cached && Date.now() - cached.at < 10 * 60_000) return cached.token;
    const reply = await careful('POST', '/auth/login', undefined, { username, password: secret });
    if (reply.status !== 200) throw new Error(`${username} cannot sign in: ${reply.status}`);
    const token = reply.body['accessToken'] as string;
    tokens.set(username, { token, at: Date.now() });
    return token;
  }

  async function act(intent: Intent): Promise<void> {
    const operator = await tokenOf(users.operator, password);
    if (!intent.ticketId) {
      const created = await careful(
        'POST',
        '/api/resident-requests/tickets',
        operator,
        ticketBody(),
        intent.key,
      );
      if (created.status !== 201) throw new Error(`ticket not created: ${created.status}`);
      intent.ticketId = created.body['ticketId'] as string;
    }
    const ticket = await careful('GET', `/api/resident-requests/tickets/${intent.ticketId}`, operator);
    if (ticket.body['status'] === 'resolved' || ticket.body['status'] === 'closed') {
      intent.done = true;
      return;
    }
    const jobId = ticket.body['jobId'] as string | undefined;
    if (!jobId) return;
    intent.jobId = jobId;
    const provider = await tokenOf(users.provider, password);
    const job = await careful('GET', `/api/dispatch/jobs/${jobId}`, provider);
    const status = job.body['status'];
    // The provider acts on what the API shows: a 409 only means someone (an earlier try) already did it.
    if (status === 'offered' || status === 'requested') {
      await careful('POST', `/api/dispatch/jobs/${jobId}/accept`, provider);
    } else if (status === 'accepted') {
      await careful('POST', `/api/dispatch/jobs/${jobId}/start`, provider, {});
    } else if (status === 'in-progress' || status === 'started') {
      await careful('POST', `/api/dispatch/jobs/${jobId}/complete`, provider, { outcome: 'done' });
    }
  }

  async function workOpen(stopAt: number): Promise<void> {
    for (const intent of intents.filter((i) => !i.done)) {
      if (Date.now() > stopAt) return;
      await act(intent).catch(() => undefined);
    }
  }

  function ticketBody(): Json {
    return {
      channel: 'hotline',
      category: 'repair',
      description: '厨房水龙头漏水（混沌测试）',
      reporter: { name: '测试居民', phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` },
      place: { communityCode: COMMUNITY, address: `测试路 ${intents.length + 1} 号` },
    };
  }

  return {
    name: 'smoke-tickets',
    env: { OFFER_TIMEOUT_MS: '120000', CALLBACK_DELAY_MS: '3600000' },

    async prepare(platform: ChaosPlatform): Promise<void> {
      gateway = platform.gatewayUrl;
      const admin = await tokenOf('admin', platform.adminPassword);
      const roles = { operator: 'operator', provider: 'provider', supervisor: 'supervisor' } as const;
      for (const [role, username] of Object.entries(users) as [keyof typeof users, string][]) {
        const reply = await careful('POST', '/users', admin, {
          username,
          displayName: `${username} (chaos)`,
          password,
          roles: [roles[role]],
          jurisdiction: GULOU,
          ...(role === 'provider' ? { providerId } : {}),
        });
        if (reply.status !== 201 && reply.status !== 409)
          throw new Error(`user ${username}: ${reply.status}`);
      }
      const supervisor = await tokenOf(users.supervisor, password);
      const registered = await careful('POST', '/api/dispatch/providers', supervisor, {
        providerId,
        name: `混沌测试维修队 ${run}`,
        kind: 'community',
        skills: ['repair'],
        serviceAreas: [GULOU],
        capacity: 50,
        available: true,
        jurisdiction: GULOU,
      });
      if (registered.status !== 201 && registered.status !== 409) {
        throw new Error(`provider not registered: ${registered.status} ${JSON.stringify(registered.body)}`);
      }
    },

    async play(platform: ChaosPlatform, plan: DayPlan, signal: AbortSignal): Promise<void> {
      gateway = platform.gatewayUrl;
      const everyMs = 2000 / Math.max(plan.intensity, 0.1);
      const end = Date.now() + plan.durationMs;
      let next = Date.now();
      while (!signal.aborted && Date.now() < end) {
        if (Date.now() >= next) {
          const intent: Intent = { key: randomUUID() };
          intents.push(intent);
          await act(intent).catch(() => undefined);
          next += everyMs;
        }
        await workOpen(next);
        await new Promise((r) => setTimeout(r, 200));
      }
    },

    async finish(_platform: ChaosPlatform, timeoutMs: number): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (intents.some((i) => !i.done) && Date.now() < deadline) {
        await workOpen(deadline);
        await new Promise((r) => setTimeout(r, 1000));
      }
    },

    async check(platform: ChaosPlatform): Promise<PartCheck> {
      const tickets = (await platform.database('resident-requests')).collection<{
        _id: string;
        status?: string;
      }>('tickets');
      const jobs = (await platform.database('dispatch')).collection<{ _id: string; status?: string }>('jobs');
      const lost: Finding[] = [];
      const duplicated: Finding[] = [];
      let final = 0;
      for (const intent of intents) {
        if (!intent.ticketId) {
          lost.push({ id: intent.key, what: 'no ticket was ever answered for this intent' });
          continue;
        }
        const ticket = await tickets.findOne({ _id: intent.ticketId });
        const ticketJobs = await jobs.find({ 'origin.aggregateId': intent.ticketId }).toArray();
        const completed = ticketJobs.filter((j) => j['status'] === 'completed');
        if (completed.length > 1) {
          duplicated.push({ id: intent.ticketId, what: `${completed.length} completed jobs` });
        }
        if (ticket?.['status'] !== 'resolved' || completed.length !== 1) {
          const states = ticketJobs.map((j) => j['status']).join(',') || 'none';
          lost.push({
            id: intent.ticketId,
            what: `ticket ${ticket?.['status'] ?? 'missing'}, jobs ${states}`,
          });
        } else if (completed.length === 1) {
          final += 1;
        }
      }
      // This part is alone in its namespace: a ticket no intent holds is a second ticket for some intent.
      const known = new Set(intents.map((i) => i.ticketId));
      for (const { _id } of await tickets.find({}, { projection: { _id: 1 } }).toArray()) {
        if (!known.has(_id)) duplicated.push({ id: _id, what: 'a ticket no intent was answered with' });
      }
      return { part: 'smoke-tickets', expected: intents.length, final, lost, duplicated, notes: [] };
    },

    async probe(platform: ChaosPlatform): Promise<void> {
      gateway = platform.gatewayUrl;
      const operator = await tokenOf(users.operator, password);
      // A probe is an intent like the others (finished and checked); a failed probe's next try reuses its key.
      if (!pendingProbe) {
        pendingProbe = { key: randomUUID() };
        intents.push(pendingProbe);
      }
      if (!pendingProbe.ticketId) {
        const created = await request(
          'POST',
          '/api/resident-requests/tickets',
          operator,
          ticketBody(),
          pendingProbe.key,
        );
        if (created.status !== 201) throw new Error(`probe ticket: ${created.status}`);
        pendingProbe.ticketId = created.body['ticketId'] as string;
      }
      const id = pendingProbe.ticketId;
      for (const wait of [500, 1000, 2000, 4000, 8000]) {
        const ticket = await request('GET', `/api/resident-requests/tickets/${id}`, operator);
        if (ticket.body['jobId']) {
          pendingProbe = undefined;
          return;
        }
        await new Promise((r) => setTimeout(r, wait));
      }
      throw new Error(`probe ticket ${id} got no job`);
    },
  };
}
