import { SMS_MAX_LENGTH, TEMPLATES, type Channel, type Language } from './index';

const LANGUAGES: Language[] = ['zh-CN', 'en'];
const future = '2026-11-29T08:30:00.000Z';

/** One sample of every template's data. */
const SAMPLES: { [K in keyof typeof TEMPLATES]: Parameters<(typeof TEMPLATES)[K]>[0] } = {
  'alert-message': {
    messageType: 'alert',
    headline: '暴雨红色预警',
    instruction: '请立即撤离',
    severity: 'severe',
    ackLink: 'http://x/ack?a=A&r=R&t=T',
  },
  'alert-reminder': { messageType: 'alert', headline: '暴雨红色预警', severity: 'severe' },
  'alert-escalated': {
    alertId: 'I20261129-000001-A1',
    unacknowledgedCount: 12,
    needsHelpCount: 2,
    listPath: '/alerts/I20261129-000001-A1/recipients?status=silent',
  },
  'job-offered': { jobId: 'J1', expiresAt: future },
  'ticket-callback-due': { ticketId: 'T1', round: 1, attempt: 2 },
  escalation: { subject: 'ticket', id: 'T1', reason: 'resolve-deadline-missed', level: 1 },
  'session-reminder': { caseId: 'C1', sessionId: 'S1', scheduledFor: future },
  'followup-due': { caseId: 'C1', followUpId: 'F1', dueAt: future },
};

describe('templates', () => {
  const cases = (Object.keys(TEMPLATES) as (keyof typeof TEMPLATES)[]).flatMap((name) =>
    LANGUAGES.map((language) => [name, language] as const),
  );

  it.each(cases)('%s renders a title and a body in %s', (name, language) => {
    const template = TEMPLATES[name] as (data: unknown, language: Language, channel: Channel) => unknown;
    const rendered = template(SAMPLES[name], language, 'in-app') as { title: string; body: string };
    expect(rendered.title.length).toBeGreaterThan(0);
    expect(rendered.body.length).toBeGreaterThan(0);
    // Chinese text in Chinese, none in English.
    expect(/[\u4e00-\u9fff]/.test(rendered.title)).toBe(language === 'zh-CN' || /暴雨/.test(rendered.title));
  });

  it('writes Alert, Update and Cancel differently', () => {
    const titles = (['alert', 'update', 'cancel'] as const).map(
      (messageType) =>
        TEMPLATES['alert-message']({ ...SAMPLES['alert-message'], messageType }, 'en', 'in-app').title,
    );
    expect(titles).toEqual([
      'Alert: 暴雨红色预警',
      'Alert update: 暴雨红色预警',
      'Alert cancelled: 暴雨红色预警',
    ]);
  });

  it('ends the alert SMS with the acknowledgement link, whole, within the SMS length', () => {
    const long = { ...SAMPLES['alert-message'], instruction: '请立即撤离到安置点。'.repeat(100) };
    for (const language of LANGUAGES) {
      const { body } = TEMPLATES['alert-message'](long, language, 'sms');
      expect(body.endsWith('http://x/ack?a=A&r=R&t=T')).toBe(true);
      expect([...body].length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
    }
  });

  it('marks the reminder as one', () => {
    expect(TEMPLATES['alert-reminder'](SAMPLES['alert-reminder'], 'zh-CN', 'sms').body).toContain('再次提醒');
    expect(TEMPLATES['alert-reminder'](SAMPLES['alert-reminder'], 'en', 'in-app').title).toMatch(
      /^Reminder: /,
    );
  });

  it('tells the coordinators how many are silent and where the list is', () => {
    const { title, body } = TEMPLATES['alert-escalated'](SAMPLES['alert-escalated'], 'en', 'in-app');
    expect(title).toBe('12 people have not acknowledged alert I20261129-000001-A1');
    expect(body).toContain('/alerts/I20261129-000001-A1/recipients?status=silent');
  });

  it('names the escalation’s reason in the reader’s words', () => {
    expect(TEMPLATES.escalation(SAMPLES.escalation, 'zh-CN', 'in-app').body).toContain('超时未办结');
    expect(TEMPLATES.escalation(SAMPLES.escalation, 'en', 'in-app').body).toContain('not resolved in time');
  });

  it('writes times in China time', () => {
    expect(TEMPLATES['job-offered'](SAMPLES['job-offered'], 'zh-CN', 'in-app').body).toContain(
      '2026-11-29 16:30',
    );
  });
});
