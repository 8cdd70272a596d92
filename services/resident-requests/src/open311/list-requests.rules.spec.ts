import { Open311Error } from './open311.errors';
import { parseRequestsQuery } from './list-requests.rules';

const now = new Date('2026-11-29T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

function faultsOf(parameters: Record<string, unknown>): string[] {
  try {
    parseRequestsQuery(parameters, now);
  } catch (error) {
    expect(error).toBeInstanceOf(Open311Error);
    expect((error as Open311Error).status).toBe(400);
    return (error as Open311Error).errors.map((e) => e.description);
  }
  throw new Error('expected a 400');
}

describe('GET requests parameters', () => {
  it('defaults to the most recent 90 days and the first 1000 requests', () => {
    expect(parseRequestsQuery({}, now)).toEqual({
      kind: 'search',
      from: new Date(now.getTime() - 90 * DAY),
      to: now,
      page: 1,
      pageSize: 1000,
    });
  });

  it('treats empty parameters as not given', () => {
    expect(parseRequestsQuery({ start_date: '', status: '', service_code: '' }, now)).toEqual(
      parseRequestsQuery({}, now),
    );
  });

  it('lets service_request_id override every other argument', () => {
    expect(
      parseRequestsQuery({ service_request_id: 'T1, T2,T1', status: 'nonsense', start_date: 'x' }, now),
    ).toEqual({ kind: 'ids', ids: ['T1', 'T2'] });
  });

  it('accepts lists comma delimited and declared several times', () => {
    const query = parseRequestsQuery(
      { service_code: ['repair,property', 'health'], status: ['open', 'closed'] },
      now,
    );
    expect(query).toMatchObject({
      serviceCodes: ['repair', 'property', 'health'],
      statuses: ['open', 'closed'],
    });
  });

  it.each([
    [
      { start_date: '2026-10-01T00:00:00Z' },
      '2026-10-01T00:00:00Z',
      new Date(Date.parse('2026-10-01T00:00:00Z') + 90 * DAY),
    ],
    [
      { end_date: '2026-10-01T00:00:00+08:00' },
      new Date(Date.parse('2026-10-01T00:00:00+08:00') - 90 * DAY),
      '2026-09-30T16:00:00.999Z', // an end in whole seconds includes that second
    ],
    [
      { start_date: '2026-10-01T00:00:00Z', end_date: '2026-10-02T00:00:00Z' },
      '2026-10-01T00:00:00Z',
      '2026-10-02T00:00:00.999Z',
    ],
    [
      { start_date: '2026-10-01T00:00:00Z', end_date: '2026-10-02T00:00:00.250Z' },
      '2026-10-01T00:00:00Z',
      '2026-10-02T00:00:00.250Z',
    ],
  ])('a range %j runs from %s to %s', (parameters, from, to) => {
    expect(parseRequestsQuery(parameters, now)).toMatchObject({ from: new Date(from), to: new Date(to) });
  });

  it.each([
    [{ status: 'pending' }, 'status must be open or closed'],
    [{ start_date: '2026-10-01' }, 'start_date must be a w3 date-time'],
    [{ end_date: '2026-10-01T00:00:00' }, 'end_date must be a w3 date-time'],
    [{ start_date: '2026-13-01T00:00:00Z' }, 'start_date must be a w3 date-time'],
    [
      { start_date: '2026-01-01T00:00:00Z', end_date: '2026-06-01T00:00:00Z' },
      'may not span more than 90 days',
    ],
    [
      { start_date: '2026-06-01T00:00:00Z', end_date: '2026-01-01T00:00:00Z' },
      'start_date must not be after end_date',
    ],
    [{ start_date: ['2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z'] }, 'start_date must be given once'],
    [{ page_size: '1001' }, 'page_size must be a whole number from 1 to 1000'],
    [{ page: '0' }, 'page must be a whole number'],
    [{ service_request_id: Array.from({ length: 1001 }, (_, i) => `T${i}`).join(',') }, 'at most 1000 ids'],
  ])('%j is a 400 naming the parameter', (parameters, message) => {
    expect(faultsOf(parameters).join('\n')).toContain(message);
  });

  it('lists every fault at once', () => {
    expect(faultsOf({ status: 'x', start_date: 'y', page: 'z' })).toHaveLength(3);
  });
});
