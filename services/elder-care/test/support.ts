// What the elder-care integration tests share: the service as a process, requests as its users, and names unique
// to each test. Helpers for one area live beside their tests (dispatch's answers: @linli/testing FakeDispatch).
import { call, type Json, type Response } from '@linli/testing';
export { call, type Json, type Response };
import { authHeader, eventually, identityNumberFor, startService, type ServiceProcess } from '@linli/testing';
import { randomBytes } from 'node:crypto';

export { eventually, identityNumberFor };
export type { ServiceProcess };

export const GULOU = '320106';
/** 仙霞路社区 of 宁海路街道, Gulou (from the tree; 320106001001 is not a community there). */
export const GULOU_COMMUNITY = '320106001003';
/** 梅园新村社区 in Xuanwu: another district. */
export const XUANWU_COMMUNITY = '320102002001';

/** Fast group membership, so a restarted instance gets its partitions back in seconds. */
const FAST_CONSUMER_ENV = { CONSUMER_SESSION_TIMEOUT_MS: '6000', CONSUMER_HEARTBEAT_INTERVAL_MS: '1000' };

export function startElderCare(env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startService({ name: 'elder-care', env: { ...FAST_CONSUMER_ENV, ...env }, readyTimeoutMs: 90_000 });
}

export function unique(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export const operator = (jurisdiction = GULOU) => authHeader('operator', jurisdiction, { sub: 'op-1' });
export const supervisor = (jurisdiction = GULOU) => authHeader('supervisor', jurisdiction, { sub: 'sup-1' });
export const admin = () => authHeader('admin', '32', { sub: 'admin-1' });
export const providerUser = (providerId: string, jurisdiction = GULOU) =>
  authHeader('provider', jurisdiction, { sub: `user-${providerId}`, providerId });

/** Identity numbers handed out in this process: 50,000 per birth date and gender before one repeats. */
let issued = Math.floor(Math.random() * 50_000);
/**
 * A fresh identity number for a person, never the same twice in one test process: the gender digit and the
 * birth date agree with those given; the region's last two digits and the sequence carry a counter.
 */
export function uniqueIdentityNumber(birthDate: string, gender: 'male' | 'female'): string {
  const n = issued++;
  const sequence = (n % 500) * 2 + (gender === 'male' ? 1 : 0);
  const region = `3201${String(Math.floor(n / 500) % 100).padStart(2, '0')}`;
  return identityNumberFor(birthDate, sequence, region);
}

/** A fresh elder registration body in Gulou, living alone unless told otherwise. */
export function elderBody(overrides: Json = {}): Json {
  const birthDate = overrides.birthDate ?? '1942-03-15';
  const gender = overrides.gender ?? 'female';
  return {
    name: '王秀英',
    gender,
    birthDate,
    identityNumber: uniqueIdentityNumber(birthDate, gender),
    phone: '13812345678',
    community: GULOU_COMMUNITY,
    address: '鼓楼区宁海路 12 号 3 单元 502',
    home: { lat: 32.0565, lng: 118.7694 },
    livingSituation: 'alone',
    careLevel: 'partly-dependent',
    hardship: [],
    emergencyContacts: [{ name: '李明', relation: 'son', phone: '13912345678' }],
    consentToServices: true,
    ...overrides,
  };
}
