import { TICKET_PRIORITIES, validateEventData, visitFindingReported } from '@linli/contracts';
import {
  findingPriority,
  findingTicket,
  URGENT_OBSERVATION_PRIORITY,
  visitPlaceAddress,
} from './visit-finding.rules';

const finding = {
  visitId: 'V-E0000042-20261130-0900-meal-delivery',
  version: 3,
  jurisdiction: '320106001003',
  elderId: 'E0000042',
  findingId: 'V-E0000042-20261130-0900-meal-delivery-F1',
  observation: 'concern' as const,
  category: 'repair' as const,
  summary: '卫生间扶手松动',
  providerId: 'care-1',
};

describe('a visit finding as a ticket', () => {
  it('the sample finding is a valid visit.finding-reported', () => {
    expect(validateEventData(visitFindingReported, finding).ok).toBe(true);
  });

  it('opens a visit-channel ticket without a reporter, in the elder’s community, linked to the visit', () => {
    expect(findingTicket(finding)).toEqual({
      channel: 'visit',
      category: 'repair',
      description: '卫生间扶手松动',
      place: { communityCode: '320106001003', address: visitPlaceAddress('E0000042') },
      sourceVisitId: finding.visitId,
    });
  });

  it('names the elder by id, not by an address', () => {
    expect(visitPlaceAddress('E0000042')).toContain('E0000042');
  });

  it('keeps triage’s priority for a concern', () => {
    expect(findingPriority({ level: 'general' }, finding)).toEqual({ level: 'general' });
    expect(findingPriority({ level: 'danger', reason: 'urgent word "昏迷"' }, finding)).toEqual({
      level: 'danger',
      reason: 'urgent word "昏迷"',
    });
  });

  it('an urgent observation is the highest priority, with the reason', () => {
    expect(URGENT_OBSERVATION_PRIORITY).toBe(TICKET_PRIORITIES[0]);
    expect(findingPriority({ level: 'general' }, { ...finding, observation: 'urgent' })).toEqual({
      level: 'danger',
      reason: `urgent observation on visit ${finding.visitId}`,
    });
    expect(
      findingPriority(
        { level: 'utilities', reason: 'urgent word "停水"' },
        { ...finding, observation: 'urgent' },
      ),
    ).toEqual({
      level: 'danger',
      reason: `urgent observation on visit ${finding.visitId}; urgent word "停水"`,
    });
  });
});
