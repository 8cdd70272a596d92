import { alertIssued, validateEventData } from '@linli/contracts';
import { parseCapXml } from '../cap/cap.parser';
import { validateCapXml } from '../cap/cap.schema';
import { writeCapXml } from '../cap/cap.writer';
import {
  applyChanges,
  capPolygons,
  composeMessage,
  geocodeName,
  issuedData,
  toCapAlert,
  viewStatus,
  type AlertFields,
  type AlertState,
  type CapContext,
} from './alert.rules';

const SENT = new Date('2026-07-01T00:00:00Z');
const FIELDS: AlertFields = {
  audiences: ['residents', 'providers'],
  headline: '暴雨红色预警',
  description: '未来三小时降雨量将超过 100 毫米 & <注意>',
  instruction: '请勿外出',
  urgency: 'immediate',
  severity: 'severe',
  certainty: 'likely',
  response: 'shelter',
  language: 'zh-CN',
  expiresAt: new Date('2026-07-02T00:00:00Z'),
  acknowledgeWithinMs: 15 * 60_000,
  areas: ['320106001003', '320106'],
};
const CONTEXT: CapContext = {
  sender: 'emergency@linli.js.gov.cn',
  kind: 'flood',
  polygon: {
    type: 'Polygon',
    coordinates: [
      [
        [118.78, 32.07],
        [118.8, 32.07],
        [118.8, 32.055],
        [118.78, 32.07],
      ],
    ],
  },
  areaName: (code) => (code === '320106' ? '江苏省 南京市 鼓楼区' : undefined),
};

/** An alert with its Alert, then an Update (English, all-clear), then a Cancel, as the service composes them. */
function threeMessages(): AlertState {
  const state: AlertState = {
    alertId: 'I20260701-000001-A1',
    incidentId: 'I20260701-000001',
    version: 0,
    status: 'active',
    jurisdiction: '320106',
    source: 'coordinator',
    current: FIELDS,
    messages: [],
    createdAt: SENT,
  };
  state.messages.push(composeMessage([], 'alert', FIELDS, SENT, { actorId: 'coord-1' }));
  const updated = applyChanges(FIELDS, { language: 'en', headline: 'All clear', response: 'all-clear' });
  state.messages.push(composeMessage(state.messages, 'update', updated, new Date(SENT.getTime() + 60_000)));
  state.messages.push(
    composeMessage(state.messages, 'cancel', updated, new Date(SENT.getTime() + 120_000), {
      reason: 'false alarm',
    }),
  );
  return state;
}

describe('alert rules', () => {
  it('numbers messages, sets acknowledgeBy = sentAt + acknowledgeWithin, none on a Cancel or an unbroadcast one', () => {
    const state = threeMessages();
    expect(state.messages.map((m) => [m.sequence, m.messageType])).toEqual([
      [1, 'alert'],
      [2, 'update'],
      [3, 'cancel'],
    ]);
    expect(state.messages[0].acknowledgeBy).toEqual(new Date(SENT.getTime() + 15 * 60_000));
    expect(state.messages[2].acknowledgeBy).toBeUndefined();
    expect(composeMessage([], 'alert', FIELDS, SENT, { broadcast: false }).acknowledgeBy).toBeUndefined();
  });

  it('an Update keeps what it does not change', () => {
    const next = applyChanges(FIELDS, { headline: 'new', instruction: undefined });
    expect(next).toEqual({ ...FIELDS, headline: 'new' });
  });

  it('alert.issued carries what notifications needs and fits its contract', () => {
    const state = threeMessages();
    for (const [index, message] of state.messages.entries()) {
      const data = issuedData(state, message, index);
      expect(validateEventData(alertIssued, data)).toEqual({ ok: true, data });
    }
    expect(issuedData(state, state.messages[0], 0)).toEqual({
      alertId: state.alertId,
      version: 0,
      jurisdiction: '320106',
      incidentId: state.incidentId,
      sequence: 1,
      messageType: 'alert',
      audiences: ['residents', 'providers'],
      areas: ['320106001003', '320106'],
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'likely',
      response: 'shelter',
      language: 'zh-CN',
      headline: '暴雨红色预警',
      instruction: '请勿外出',
      acknowledgeBy: '2026-07-01T00:15:00.000Z',
      expiresAt: '2026-07-02T00:00:00.000Z',
      actorId: 'coord-1',
    });
    expect(issuedData(state, state.messages[2], 2).acknowledgeBy).toBeUndefined();
  });

  it('is expired once past its expiry, unless cancelled', () => {
    const state = threeMessages();
    expect(viewStatus(state, SENT)).toBe('active');
    expect(viewStatus(state, new Date('2026-07-03T00:00:00Z'))).toBe('expired');
    expect(viewStatus({ ...state, status: 'cancelled' }, new Date('2026-07-03T00:00:00Z'))).toBe('cancelled');
  });

  it('geocodes: GB/T 2260 up to the district, GB/T 10114 for streets and communities; polygons as lat,lon', () => {
    expect(geocodeName('32')).toBe('GB/T 2260');
    expect(geocodeName('320106')).toBe('GB/T 2260');
    expect(geocodeName('320106001')).toBe('GB/T 10114');
    expect(geocodeName('320106001003')).toBe('GB/T 10114');
    expect(capPolygons(CONTEXT.polygon)).toEqual(['32.07,118.78 32.07,118.8 32.055,118.8 32.07,118.78']);
    expect(capPolygons(undefined)).toEqual([]);
  });

  it('writes the Alert, its Update and its Cancel as CAP 1.2 valid against the OASIS XSD', async () => {
    const state = threeMessages();
    const caps = state.messages.map((message) => toCapAlert(state, message, CONTEXT));
    expect(caps.map((cap) => [cap.identifier, cap.msgType])).toEqual([
      ['I20260701-000001-A1-1', 'Alert'],
      ['I20260701-000001-A1-2', 'Update'],
      ['I20260701-000001-A1-3', 'Cancel'],
    ]);
    expect(caps[0].references).toBeUndefined();
    expect(caps[1].references).toBe(
      'emergency@linli.js.gov.cn,I20260701-000001-A1-1,2026-07-01T08:00:00+08:00',
    );
    expect(caps[2].references?.split(' ')).toHaveLength(2);
    expect(caps[0].info[0]).toMatchObject({
      language: 'zh-CN',
      category: ['Met'],
      responseType: ['Shelter'],
      urgency: 'Immediate',
      severity: 'Severe',
      certainty: 'Likely',
      expires: '2026-07-02T08:00:00+08:00',
    });
    expect(caps[0].info[0].area[0].geocode).toEqual([
      { valueName: 'GB/T 10114', value: '320106001003' },
      { valueName: 'GB/T 2260', value: '320106' },
    ]);
    expect(caps[1].info[0]).toMatchObject({
      language: 'en-US',
      responseType: ['AllClear'],
      headline: 'All clear',
    });
    expect(caps[2].note).toBe('false alarm');
    for (const cap of caps) {
      const xml = writeCapXml(cap);
      expect(await validateCapXml(xml)).toEqual({ valid: true, errors: [] });
      expect(parseCapXml(xml)).toEqual(cap);
    }
  });

  it('writes an imported message back as it came', () => {
    const state = threeMessages();
    const cap = toCapAlert(state, state.messages[0], CONTEXT);
    const imported = { ...state.messages[0], cap: { ...cap, sender: 'other@example.org' } };
    expect(toCapAlert(state, imported, CONTEXT).sender).toBe('other@example.org');
  });
});
