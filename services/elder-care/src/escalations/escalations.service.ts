// Escalations (上报) of elders living alone whose visits were missed in a row: opened once per run of misses (from
// the visit timeline), listed for the supervisors with the people to call in full, acknowledged by them.
import type { Actor } from '@linli/auth';
import { createEvent, elderEscalated } from '@linli/contracts';
import { outboxEntry } from '@linli/persistence';
import { ConflictError, currentCorrelationId, InjectConfig, maskPhone, NotFoundError } from '@linli/platform';
import { Injectable, Logger } from '@nestjs/common';
import type { ElderCareConfig } from '../config';
import { CommunityContactsRepository } from '../elders/community-contacts.repository';
import type { ElderDocument } from '../elders/elder.schema';
import { EldersRepository } from '../elders/elders.repository';
import type { EscalationStatus } from './escalation.schema';
import { EscalationsRepository, type Escalation } from './escalations.repository';

const EVENT_SOURCE = '/linli/elder-care';
/** elder.escalated names at most this many missed visits (its contract's limit). */
const MAX_VISIT_IDS = 20;

export interface EscalationView {
  escalationId: string;
  elderId: string;
  community: string;
  reason: string;
  visitIds: string[];
  status: EscalationStatus;
  createdAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  note?: string;
  contacts: {
    community: { name: string; role: string; phone: string }[];
    elder: { name: string; relation: string; phone: string }[];
  };
}

@Injectable()
export class EscalationsService {
  private readonly logger = new Logger(EscalationsService.name);

  constructor(
    private readonly escalations: EscalationsRepository,
    private readonly elders: EldersRepository,
    private readonly communityContacts: CommunityContactsRepository,
    @InjectConfig() private readonly config: ElderCareConfig,
  ) {}

  /**
   * Opens the escalation of the elder's current run of misses (the misses since the last check-in), unless it is
   * open already: a retried effect, or a third miss of the same run, finds it and makes no second one. The id is the
   * elder's next ordinal, so two instances racing on one run collide on `_id` and one wins.
   */
  async escalateMisses(elder: ElderDocument, visitIds: readonly string[]): Promise<Escalation | null> {
    const since = elder.lastCheckInAt ?? null;
    for (;;) {
      const existing = await this.escalations.ofElder(elder._id);
      const ofThisRun = existing.find((escalation) => !since || escalation.createdAt >= since);
      if (ofThisRun) return null;
      const escalationId = `X${elder._id}-${existing.length + 1}`;
      const now = new Date();
      const named = [...new Set(visitIds)].slice(-MAX_VISIT_IDS);
      const event = outboxEntry(
        elderEscalated,
        createEvent({
          source: EVENT_SOURCE,
          type: elderEscalated.type,
          subject: elder._id,
          jurisdiction: elder.community,
          data: {
            elderId: elder._id,
            version: elder.version,
            jurisdiction: elder.community,
            escalationId,
            reason: 'missed-visits-in-a-row',
            visitIds: named,
            livingSituation: elder.livingSituation,
          },
          correlationid: currentCorrelationId(),
        }),
      );
      const inserted = await this.escalations.insert(
        {
          _id: escalationId,
          elderId: elder._id,
          jurisdiction: elder.community,
          reason: 'missed-visits-in-a-row',
          visitIds: named,
          status: 'open',
          acknowledgedAt: null,
          acknowledgedBy: null,
          note: null,
          createdAt: now,
          updatedAt: now,
        },
        [event],
      );
      if (inserted) {
        this.logger.log({ msg: 'elder escalated', escalationId, elderId: elder._id, visits: named.length });
        const [stored] = await this.escalations.ofElder(elder._id);
        return stored ?? null;
      }
      // Another instance stored this ordinal first: read again, and find its escalation (or the next ordinal).
    }
  }

  async list(
    filter: { community?: string; status?: EscalationStatus },
    actor: Actor,
  ): Promise<{ items: EscalationView[] }> {
    const found = await this.escalations.list(filter, actor, this.config.MAX_PAGE_SIZE);
    return { items: await this.views(found, actor) };
  }

  async acknowledge(escalationId: string, actor: Actor, note?: string): Promise<EscalationView> {
    for (let attempt = 1; ; attempt++) {
      const escalation = await this.escalations.findById(escalationId, actor);
      if (!escalation) throw new NotFoundError('escalation', escalationId);
      if (escalation.status !== 'open') {
        throw new ConflictError(`escalation ${escalationId} is already ${escalation.status}`, {
          status: escalation.status,
          version: escalation.version,
        });
      }
      const after = await this.escalations.acknowledge(escalation, actor.userId, note, new Date());
      if (after) return (await this.views([after], actor))[0];
      if (attempt >= this.config.WRITE_ATTEMPTS) {
        throw new ConflictError(`escalation ${escalationId} is changing; try again`, {
          status: escalation.status,
          version: escalation.version,
        });
      }
    }
  }

  /**
   * The views with the people to call: the community's emergency contact list (staff's work phones, in full) and
   * the elder's own contacts, in full to the coordinator or supervisor while the escalation is open (calling them is
   * the work), masked once it is acknowledged and to admins (docs/adr/0027-masking-and-object-access.md).
   */
  private async views(found: readonly Escalation[], actor: Actor): Promise<EscalationView[]> {
    const handles = actor.has('coordinator', 'supervisor');
    const elders = new Map(
      (await this.elders.findByIds([...new Set(found.map((e) => e.elderId))])).map((elder) => [
        elder._id,
        elder,
      ]),
    );
    const communities = new Map<string, { name: string; role: string; phone: string }[]>();
    for (const community of new Set(found.map((e) => e.jurisdiction))) {
      communities.set(community, await this.communityContacts.contactsOf(community));
    }
    return found.map((escalation) => ({
      escalationId: escalation._id,
      elderId: escalation.elderId,
      community: escalation.jurisdiction,
      reason: escalation.reason,
      visitIds: [...escalation.visitIds],
      status: escalation.status,
      createdAt: escalation.createdAt.toISOString(),
      ...(escalation.acknowledgedAt ? { acknowledgedAt: escalation.acknowledgedAt.toISOString() } : {}),
      ...(escalation.acknowledgedBy ? { acknowledgedBy: escalation.acknowledgedBy } : {}),
      ...(escalation.note ? { note: escalation.note } : {}),
      contacts: {
        community: (communities.get(escalation.jurisdiction) ?? []).map((c) => ({
          name: c.name,
          role: c.role,
          phone: c.phone,
        })),
        elder: (elders.get(escalation.elderId)?.emergencyContacts ?? []).map((c) => ({
          name: c.name,
          relation: c.relation,
          phone: handles && escalation.status === 'open' ? c.phone : maskPhone(c.phone),
        })),
      },
    }));
  }
}
