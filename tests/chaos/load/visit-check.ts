// The visits part's check rules, pure: every visit the load asked for exists exactly once for its slot (elder,
// service, due time), reached completed with its check-in and check-out, and has exactly one completed dispatch job;
// a visit of these elders that no intent asked for is a duplicated effect.
import type { Finding, PartCheck } from '../support/types';

export interface VisitIntent {
  intentId: string;
  idempotencyKey: string;
  elderId: string;
  service: string;
  dueAt: string;
  visitId?: string;
  /** Times its due time was moved because the service refused a time already past (it was down until then). */
  replanned?: number;
}

export interface ObservedVisit {
  visitId: string;
  elderId: string;
  service: string;
  dueAt: string;
  status: string;
  checkedIn: boolean;
  checkedOut: boolean;
}

export interface ObservedVisitJob {
  jobId: string;
  visitId: string;
  status: string;
}

const slotOf = (v: { elderId: string; service: string; dueAt: string }) =>
  `${v.elderId}/${v.service}/${new Date(v.dueAt).toISOString()}`;

export function checkVisits(input: {
  intents: VisitIntent[];
  visits: ObservedVisit[];
  jobs: ObservedVisitJob[];
}): PartCheck {
  const lost: Finding[] = [];
  const duplicated: Finding[] = [];
  let final = 0;
  const bySlot = new Map<string, ObservedVisit[]>();
  for (const visit of input.visits) bySlot.set(slotOf(visit), [...(bySlot.get(slotOf(visit)) ?? []), visit]);
  const intended = new Set(input.intents.map(slotOf));
  for (const [slot, visits] of bySlot) {
    if (!intended.has(slot))
      for (const visit of visits)
        duplicated.push({ id: visit.visitId, what: `a visit no intent asked for (${slot})` });
  }
  for (const intent of input.intents) {
    const found = bySlot.get(slotOf(intent)) ?? [];
    if (found.length === 0) {
      lost.push({ id: intent.intentId, what: `no visit for ${slotOf(intent)}` });
      continue;
    }
    if (found.length > 1) {
      duplicated.push({
        id: intent.intentId,
        what: `${found.length} visits: ${found.map((v) => v.visitId).join(', ')}`,
      });
      continue;
    }
    const visit = found[0] as ObservedVisit;
    const before = lost.length + duplicated.length;
    if (visit.status !== 'completed')
      lost.push({ id: visit.visitId, what: `${visit.status}, expected completed` });
    else if (!visit.checkedIn || !visit.checkedOut)
      lost.push({ id: visit.visitId, what: 'completed without its check-in and check-out' });
    const jobs = input.jobs.filter((j) => j.visitId === visit.visitId);
    const completed = jobs.filter((j) => j.status === 'completed');
    if (completed.length === 0) lost.push({ id: visit.visitId, what: 'no completed job in dispatch' });
    if (completed.length > 1)
      duplicated.push({
        id: visit.visitId,
        what: `${completed.length} completed jobs: ${completed.map((j) => j.jobId).join(', ')}`,
      });
    for (const job of jobs.filter((j) => !['completed', 'cancelled'].includes(j.status)))
      lost.push({ id: job.jobId, what: `job of ${visit.visitId} left ${job.status}` });
    if (lost.length + duplicated.length === before) final += 1;
  }
  return { part: 'visits', expected: input.intents.length, final, lost, duplicated, notes: [] };
}
