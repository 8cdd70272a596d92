import { toServiceRequest, type TicketFacts } from './request-view';

const ticket: TicketFacts = {
  ticketId: 'T20261129-000123',
  status: 'dispatched',
  channel: 'open311',
  category: 'repair',
  categoryName: { zh: '维修', en: 'Repair' },
  description: '路灯不亮',
  priority: { level: 'general' },
  place: {
    communityCode: '320106001003',
    communityName: '江苏省 南京市 鼓楼区 宁海路街道 仙霞路社区',
    address: '仙霞路 12 号',
    location: { lat: 32.06, lng: 118.78 },
  },
  routedTo: 'dispatch',
  expectedAt: '2026-12-06T08:00:00.000Z',
  createdAt: '2026-11-29T08:00:00.123Z',
  updatedAt: new Date('2026-11-29T08:00:01.000Z'),
};

describe('a ticket as a GeoReport service request', () => {
  it('gives every field of the specification, dates in the w3 profile', () => {
    expect(toServiceRequest(ticket, 'en', { mediaUrl: 'https://example.org/p.jpg' })).toEqual({
      service_request_id: 'T20261129-000123',
      status: 'open',
      status_notes: 'dispatched; waiting for a provider to accept',
      service_name: 'Repair',
      service_code: 'repair',
      description: '路灯不亮',
      agency_responsible: 'community service dispatch',
      service_notice: 'General request: handled within 7 days',
      requested_datetime: '2026-11-29T08:00:00Z',
      updated_datetime: '2026-11-29T08:00:01Z',
      expected_datetime: '2026-12-06T08:00:00Z',
      address: '仙霞路 12 号',
      address_id: '320106001003',
      zipcode: null,
      lat: 32.06,
      long: 118.78,
      media_url: 'https://example.org/p.jpg',
    });
  });

  it('withholds the description, exact address and coordinates of tickets from other channels', () => {
    const hotline = toServiceRequest({ ...ticket, channel: 'hotline' }, 'zh', {
      mediaUrl: 'https://x.org/a',
    });
    expect(hotline).toMatchObject({
      description: null,
      address: '江苏省 南京市 鼓楼区 宁海路街道 仙霞路社区',
      address_id: '320106001003',
      lat: null,
      long: null,
      media_url: null,
    });
  });

  it('closes a cancelled ticket with its reason in status_notes', () => {
    expect(toServiceRequest({ ...ticket, status: 'cancelled', reason: 'duplicate' }, 'zh')).toMatchObject({
      status: 'closed',
      status_notes: '已撤销（重复诉求）',
    });
  });

  it('never carries a reporter', () => {
    const withReporter = { ...ticket, reporter: { name: '王秀英', phone: '13900001234' } } as TicketFacts;
    expect(JSON.stringify(toServiceRequest(withReporter, 'zh'))).not.toMatch(/王秀英|13900001234/);
  });
});
