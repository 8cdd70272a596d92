import { kebab, resourceOf } from './audit.resource';

describe('the resource an API call touched', () => {
  it.each([
    [
      'the last …Id parameter',
      '/tickets/:ticketId/notes',
      { ticketId: 'T-1' },
      {},
      { type: 'ticket', id: 'T-1' },
    ],
    [
      'a nested resource by its own id',
      '/elders/:elderId/visits/:visitId',
      { elderId: 'E-1', visitId: 'V-9' },
      {},
      { type: 'visit', id: 'V-9' },
    ],
    [
      'the id in the answer of a creation',
      '/tickets',
      {},
      { ticketId: 'T-2' },
      { type: 'ticket', id: 'T-2' },
    ],
    ['a kebab-case collection', '/care-plans', {}, { carePlanId: 'P-1' }, { type: 'care-plan', id: 'P-1' }],
    ['the answer’s plain id', '/open311-clients', {}, { id: 'c-1' }, { type: 'open311-client', id: 'c-1' }],
    [
      'the answer’s jurisdiction as the resource’s code',
      '/tickets/:ticketId',
      { ticketId: 'T-3' },
      { jurisdiction: '320106001003' },
      { type: 'ticket', id: 'T-3', jurisdiction: '320106001003' },
    ],
    ['no id when none is evident', '/me/password', {}, undefined, { type: 'me', id: '' }],
  ])('from %s', (_case, route, params, answer, expected) => {
    expect(resourceOf(route, params, answer)).toEqual(expected);
  });

  it('takes the type and id parameter a handler declares', () => {
    expect(
      resourceOf('/communities/:code/emergency-contacts', { code: '320106001' }, [], {
        type: 'community',
        idParam: 'code',
      }),
    ).toEqual({ type: 'community', id: '320106001' });
  });

  it('ignores an answer’s jurisdiction that is not a code', () => {
    expect(resourceOf('/tickets/:ticketId', { ticketId: 'T-1' }, { jurisdiction: 'x' })).toEqual({
      type: 'ticket',
      id: 'T-1',
    });
  });

  it('names camelCase in kebab-case', () => {
    expect(kebab('carePlan')).toBe('care-plan');
  });
});
