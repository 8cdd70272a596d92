import { Actor, type Role } from '@linli/auth';
import type { ElderDocument } from './elder.schema';
import { elderDisclosureFor, toElderDetail, toElderView } from './elder.view';

const COMMUNITY = '320106001003';
const elder = {
  _id: 'E0000001',
  version: 0,
  name: '王秀英',
  gender: 'female',
  birthDate: '1942-03-15',
  identityNumber: '320106194203151240',
  phone: '13812345678',
  community: COMMUNITY,
  address: '鼓楼区宁海路 12 号 3 单元 502 室',
  home: null,
  livingSituation: 'alone',
  careLevel: 'self-care',
  hardship: [],
  emergencyContacts: [{ name: '李明', relation: 'son', phone: '13912345678' }],
  consent: { services: true },
  status: 'active',
  missedInARow: 0,
  source: 'form',
  createdAt: new Date('2026-11-29T02:00:00Z'),
  updatedAt: new Date('2026-11-29T02:00:00Z'),
} as unknown as ElderDocument;

const as = (role: Role, jurisdiction: string) => new Actor(`${role}-1`, [role], jurisdiction);

describe('who sees an elder’s personal data whole', () => {
  it('the operators and coordinators of the elder’s own community', () => {
    expect(elderDisclosureFor(as('operator', COMMUNITY), elder)).toBe('whole');
    expect(elderDisclosureFor(as('coordinator', COMMUNITY), elder)).toBe('whole');
    const detail = toElderDetail(elder, as('operator', COMMUNITY));
    expect(detail).toMatchObject({
      identityNumber: '320106194203151240',
      phone: '13812345678',
      address: '鼓楼区宁海路 12 号 3 单元 502 室',
      emergencyContacts: [{ name: '李明', relation: 'son', phone: '13912345678' }],
    });
  });

  it('nobody else: district staff, supervisors, admins, and every list', () => {
    expect(elderDisclosureFor(as('operator', '320106'), elder)).toBe('masked');
    expect(elderDisclosureFor(as('supervisor', COMMUNITY), elder)).toBe('masked');
    expect(elderDisclosureFor(as('admin', '32'), elder)).toBe('masked');
    expect(toElderView(elder)).toMatchObject({
      identityNumber: '320106********1240',
      phone: '138****5678',
      address: '鼓楼区宁海路…',
      emergencyContacts: [{ name: '李明', relation: 'son', phone: '139****5678' }],
    });
  });
});
