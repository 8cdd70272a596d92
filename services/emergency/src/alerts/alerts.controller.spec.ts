import { wantsJson } from './alerts.controller';

describe('CAP content negotiation', () => {
  it('answers JSON only when the client asks for it before any XML type; XML by default', () => {
    expect(wantsJson(undefined)).toBe(false);
    expect(wantsJson('*/*')).toBe(false);
    expect(wantsJson('application/cap+xml')).toBe(false);
    expect(wantsJson('application/xml')).toBe(false);
    expect(wantsJson('application/json')).toBe(true);
    expect(wantsJson('application/json; charset=utf-8')).toBe(true);
    expect(wantsJson('application/json, application/xml;q=0.5')).toBe(true);
    expect(wantsJson('application/cap+xml, application/json')).toBe(false);
    expect(wantsJson('text/html, application/json')).toBe(true);
  });
});
