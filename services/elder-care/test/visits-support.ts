// What the visit-lifecycle tests share: an elder, a visit due soon and a community's contact list to start from
// (through the registry's and the planner's own APIs), and the visit read back as staff.
import { call, elderBody, eventually, operator, supervisor, type Json, type ServiceProcess } from './support';

const MINUTE = 60_000;

export class VisitFixtures {
  private constructor(private readonly service: ServiceProcess) {}

  static start(service: ServiceProcess): Promise<VisitFixtures> {
    return Promise.resolve(new VisitFixtures(service));
  }

  /** A registered elder (living alone, home at 32.0565,118.7694 unless told otherwise); its id. */
  async elder(overrides: Json = {}): Promise<string> {
    const reply = await call(this.service, 'POST', '/elders', operator(), elderBody(overrides));
    if (reply.status !== 201) {
      throw new Error(`elder not registered: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    return reply.body.elderId as string;
  }

  /**
   * A one-off visit to the elder due `inMs` from now; its id. One-off visits of one elder and service are one per
   * minute (a second is a 409), so a test making several in a minute gives each its own service.
   */
  async visit(elderId: string, service = 'companionship', inMs = 2 * MINUTE): Promise<string> {
    const dueAt = new Date(Date.now() + inMs);
    const reply = await call(this.service, 'POST', `/elders/${elderId}/visits`, operator(), {
      service,
      dueAt: dueAt.toISOString(),
    });
    if (reply.status !== 201) {
      throw new Error(`visit not created: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    return reply.body.visitId as string;
  }

  /** The community's emergency contact list (社区应急联络名单). */
  async communityContacts(community: string, contacts: Json[]): Promise<void> {
    const reply = await call(
      this.service,
      'PUT',
      `/communities/${community}/emergency-contacts`,
      supervisor(),
      { contacts },
    );
    if (reply.status !== 200) {
      throw new Error(`contacts not stored: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}

/** The visit as staff see it, once `predicate` holds. */
export function visitWhen(
  service: ServiceProcess,
  visitId: string,
  predicate: (visit: Json) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<Json> {
  return eventually(
    `visit ${visitId} ${what}`,
    async () => {
      const reply = await call(service, 'GET', `/visits/${visitId}`, operator());
      return reply.status === 200 && predicate(reply.body) ? reply.body : undefined;
    },
    { timeoutMs },
  );
}
