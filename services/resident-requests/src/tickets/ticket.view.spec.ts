import { Actor, type Role } from '@linli/auth';
import type { TicketState } from './ticket.rules';
import { contactDisclosureFor, ticketDisclosureFor, toContactView, toSummary, toView } from './ticket.view';

const as = (role: Role, providerId?: string) => new Actor(`${role}-1`, [role], '320106', providerId);

// Only what the views read; the rest of the state is irrelevant to masking.
const at = new Date('2026-11-29T02:00:00Z');
const ticket = {
  ticketId: 'T20261129-000001',
  status: 'assigned',
  channel: 'hotline',
  category: 'repair',
  serviceClass: 'public-service',
  priority: { level: 'general', source: 'rules' },
  description: '水管漏水',
  place: { communityCode: '320106001003', address: '鼓楼区宁海路 12 号 3 单元 502 室' },
  jurisdiction: '320106001003',
  jobEscalated: false,
  serviceLevel: { acceptDueAt: at, resolveDueAt: at, breached: false, breaches: [] },
  reporter: { name: '王秀英', phone: '13812345678', vulnerable: [] },
  timeline: [],
  createdAt: at,
  updatedAt: at,
  version: 1,
} as unknown as TicketState;

describe('who sees a resident’s contact whole', () => {
  it('the operator in a ticket’s detail; supervisors and admins masked', () => {
    expect(ticketDisclosureFor(as('operator'))).toBe('whole');
    for (const role of ['supervisor', 'admin', 'coordinator', 'auditor'] as Role[]) {
      expect(ticketDisclosureFor(as(role))).toBe('masked');
    }
    const operatorView = toView(ticket, undefined, ticketDisclosureFor(as('operator')));
    expect(operatorView.reporter.phone).toBe('13812345678');
    expect(operatorView.place.address).toBe('鼓楼区宁海路 12 号 3 单元 502 室');
    const supervisorView = toView(ticket, undefined, ticketDisclosureFor(as('supervisor')));
    expect(supervisorView.reporter.phone).toBe('138****5678');
    expect(supervisorView.place.address).toBe('鼓楼区宁海路…');
  });

  it('nobody in a list', () => {
    expect(toSummary(ticket, undefined).place.address).toBe('鼓楼区宁海路…');
    expect(toSummary(ticket, undefined)).not.toHaveProperty('reporter');
  });

  it('the holder of the job or case and the operator on /contact; supervisors masked', () => {
    expect(contactDisclosureFor(as('provider', 'prv-1'), true)).toBe('whole');
    expect(contactDisclosureFor(as('mediator', 'med-1'), true)).toBe('whole');
    expect(contactDisclosureFor(as('operator'), false)).toBe('whole');
    expect(contactDisclosureFor(as('supervisor'), false)).toBe('masked');
    expect(contactDisclosureFor(as('admin'), false)).toBe('masked');
    expect(toContactView(ticket, 'masked')).toMatchObject({ phone: '138****5678', address: '鼓楼区宁海路…' });
    expect(toContactView(ticket, 'whole')).toMatchObject({ phone: '13812345678' });
  });
});
