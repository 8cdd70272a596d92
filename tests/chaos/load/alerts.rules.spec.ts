import { checkAlerts, type AlertRecipientIntent, type AlertsSeen } from './alerts.rules';

const worker: AlertRecipientIntent = {
  recipientId: 'w1',
  username: 'w1',
  channel: 'in-app',
  phone: '13600000001',
  answers: 2,
  response: 'safe',
};
const resident: AlertRecipientIntent = {
  recipientId: 'S1',
  channel: 'sms',
  phone: '13600000002',
  answers: 1,
  response: 'received',
};
const key = (sequence: number) => `alert:A1:${sequence}`;

/** Everything as it should be: two messages, each delivered once to each, answers recorded as first given. */
function clean(): AlertsSeen {
  return {
    incidents: [{ incidentId: 'I1', status: 'closed' }],
    alerts: [{ alertId: 'A1', sequences: [1, 2] }],
    deliveries: [1, 2].flatMap((s) => [
      { deliveryId: `d-w1-${s}`, messageKey: key(s), recipientId: 'w1', channel: 'in-app' },
      { deliveryId: `d-S1-${s}`, messageKey: key(s), recipientId: 'S1', channel: 'sms' },
    ]),
    inbox: { w1: 2 },
    sms: [
      { reference: 'd-S1-1', to: resident.phone as string },
      { reference: 'd-S1-2', to: resident.phone as string },
    ],
    smsRepeats: {},
    recipients: [
      { recipientId: 'w1', acknowledged: true, response: 'safe' },
      { recipientId: 'S1', acknowledged: true, response: 'received' },
    ],
  };
}
const intended = { messages: 2, recipients: [worker, resident] };

describe('the alerts check', () => {
  it('counts the closed incident and every recipient served once as final', () => {
    expect(checkAlerts(intended, clean())).toMatchObject({ expected: 3, final: 3, lost: [], duplicated: [] });
  });

  it('reports a second delivery, a second inbox item and an SMS no delivery asked for as duplicated', () => {
    const seen = clean();
    seen.deliveries.push({ deliveryId: 'd-x', messageKey: key(1), recipientId: 'w1', channel: 'in-app' });
    seen.inbox['w1'] = 3;
    seen.sms.push({ reference: 'd-other', to: resident.phone as string });
    const result = checkAlerts(intended, seen);
    expect(result.duplicated.map((f) => f.what)).toEqual([
      `2 deliveries of ${key(1)}`,
      '3 inbox items of the alert, 2 messages',
      'an SMS of the alert no delivery asked for (reference d-other)',
    ]);
    expect(result.final).toBe(1);
  });

  it('reports an SMS that never reached the gateway and an unrecorded answer as lost', () => {
    const seen = clean();
    seen.sms = seen.sms.filter((m) => m.reference !== 'd-S1-2');
    seen.recipients[1] = { recipientId: 'S1', acknowledged: false };
    expect(checkAlerts(intended, seen).lost).toEqual([
      { id: 'S1', what: `the SMS of ${key(2)} never reached the gateway` },
      { id: 'S1', what: 'acknowledged, but not recorded' },
    ]);
  });

  it('reports a second answer that replaced the first as duplicated, a re-post of a taken SMS only as a note', () => {
    const seen = clean();
    seen.recipients[0] = { recipientId: 'w1', acknowledged: true, response: 'received' };
    seen.smsRepeats = { 'd-S1-1': 1 };
    const result = checkAlerts(intended, seen);
    expect(result.duplicated).toEqual([
      { id: 'w1', what: 'recorded received: a later answer replaced the first (safe)' },
    ]);
    expect(result.notes).toEqual([
      '1 SMS re-posted under a reference the gateway had taken (not sent twice)',
    ]);
  });

  it('reports an incident left open and a second incident for one declaration', () => {
    const seen = clean();
    seen.incidents = [
      { incidentId: 'I1', status: 'active' },
      { incidentId: 'I2', status: 'declared' },
    ];
    const result = checkAlerts(intended, seen);
    expect(result.lost).toContainEqual({ id: 'I1', what: 'incident stuck at active' });
    expect(result.duplicated).toContainEqual({
      id: 'I2',
      what: 'a second incident for one declaration (I2)',
    });
  });
});
