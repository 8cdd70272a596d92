import { Actor } from '@linli/auth';
import { AuditRecordInvalidError, UNRECOGNISED_ACTOR_ID, buildAuditRecord } from './audit.record';

const settings = {
  service: 'resident-requests' as const,
  rootJurisdiction: '32',
  auditId: '6f1c2a9e-0d4b-4f3a-9c1e-2b7d5e8a4c10',
  at: new Date('2026-11-29T08:00:00.000Z'),
};
const operator = new Actor('op-1', ['operator'], '320106');

describe('an audit record', () => {
  it('carries who, roles, scopes, what, when, from where and the correlation id', () => {
    expect(
      buildAuditRecord(
        {
          actor: operator,
          action: 'personal-data.read',
          resource: { type: 'ticket', id: 'T-1', jurisdiction: '320106001003' },
          fields: ['reporter.phone', 'reporter.phone'],
        },
        {
          ...settings,
          context: { clientIp: '203.0.113.7', correlationId: 'c-1', operation: 'GET /tickets/:ticketId' },
        },
      ),
    ).toEqual({
      auditId: settings.auditId,
      service: 'resident-requests',
      at: '2026-11-29T08:00:00.000Z',
      jurisdiction: '320106001003',
      actorId: 'op-1',
      actorRoles: ['operator'],
      actorJurisdiction: '320106',
      action: 'personal-data.read',
      outcome: 'allowed',
      resource: { service: 'resident-requests', type: 'ticket', id: 'T-1', jurisdiction: '320106001003' },
      fields: ['reporter.phone'],
      clientIp: '203.0.113.7',
      correlationId: 'c-1',
      operation: 'GET /tickets/:ticketId',
    });
  });

  it('is filed under the actor’s scope when the resource’s is unknown, else under the deployment’s root', () => {
    expect(buildAuditRecord({ actor: operator, action: 'resource.changed' }, settings).jurisdiction).toBe(
      '320106',
    );
    const anonymous = buildAuditRecord(
      { actor: { userId: 'anonymous', role: '', jurisdiction: '' }, action: 'resource.changed' },
      settings,
    );
    expect(anonymous).toMatchObject({ jurisdiction: '32', actorId: 'anonymous', actorRoles: [] });
    expect(anonymous).not.toHaveProperty('actorJurisdiction');
  });

  it('keeps whatever a mistyped user name was out of the log', () => {
    const failed = buildAuditRecord(
      {
        actor: { userId: '王秀英 13812345678', role: 'operator', jurisdiction: '' },
        action: 'sign-in.failed',
      },
      settings,
    );
    expect(failed.actorId).toBe(UNRECOGNISED_ACTOR_ID);
    expect(JSON.stringify(failed)).not.toContain('138');
  });

  it('prefers what the caller gives to the request’s context', () => {
    const record = buildAuditRecord(
      { actor: operator, action: 'sign-in', address: '198.51.100.2', operation: 'POST /auth/login' },
      { ...settings, context: { clientIp: '127.0.0.1', operation: 'GET /x' } },
    );
    expect(record).toMatchObject({ clientIp: '198.51.100.2', operation: 'POST /auth/login' });
  });

  it('refuses what the contract refuses (a field name that is not one)', () => {
    expect(() =>
      buildAuditRecord({ actor: operator, action: 'personal-data.read', fields: ['phone = 138…'] }, settings),
    ).toThrow(AuditRecordInvalidError);
  });
});
