// CAP alerts as the emergency service will write them, and the published examples of other authorities.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CapAlert, CapInfo } from '../src/cap/cap.model';

export const CAP_FIXTURES = join(__dirname, 'fixtures', 'cap');

/** The five published CAP 1.2 alerts (see fixtures/cap/SOURCES.md), by file name. */
export function publishedExamples(): { name: string; xml: string }[] {
  return readdirSync(CAP_FIXTURES)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((name) => ({ name, xml: readFileSync(join(CAP_FIXTURES, name), 'utf8') }));
}

const SENDER = 'emergency@linli.example.cn';

function infoBlocks(): CapInfo[] {
  const area = {
    areaDesc: '南京市玄武区玄武门街道 / Xuanwumen Subdistrict, Xuanwu District, Nanjing',
    polygon: ['32.0700,118.7800 32.0700,118.8000 32.0550,118.8000 32.0550,118.7800 32.0700,118.7800'],
    circle: [],
    geocode: [
      { valueName: 'GB/T 2260', value: '320102' },
      { valueName: 'community', value: '320102002001' },
      { valueName: 'community', value: '320102002002' },
    ],
  };
  const common = {
    category: ['Met' as const, 'Safety' as const],
    responseType: ['Shelter' as const, 'Monitor' as const],
    urgency: 'Immediate' as const,
    severity: 'Severe' as const,
    certainty: 'Likely' as const,
    eventCode: [{ valueName: 'linli:incidentType', value: 'typhoon' }],
    effective: '2026-07-01T08:00:00+08:00',
    expires: '2026-07-02T08:00:00+08:00',
    web: 'https://linli.example.cn/incidents/inc-1',
    parameter: [{ valueName: 'linli:incidentId', value: 'inc-1' }],
    resource: [],
    area: [area],
  };
  return [
    {
      ...common,
      language: 'zh-CN',
      event: '台风',
      audience: '辖区内全体居民',
      senderName: '玄武门街道应急办',
      headline: '台风“海燕”将于今晚登陆',
      description: '预计今晚 20 时起风力 10 级以上，伴有暴雨 & 短时强降水 <请注意>。',
      instruction: '请留在室内，远离窗户；独居老人请保持电话畅通。',
    },
    {
      ...common,
      language: 'en-US',
      event: 'Typhoon',
      audience: 'All residents of the area',
      senderName: 'Xuanwumen Subdistrict emergency office',
      headline: 'Typhoon Haiyan makes landfall tonight',
      description: 'Winds of force 10 and above from 20:00, heavy rain & flash floods <take care>.',
      instruction: 'Stay indoors, away from windows.',
    },
  ];
}

export function platformAlert(): CapAlert {
  return {
    identifier: 'linli-alert-0001',
    sender: SENDER,
    sent: '2026-07-01T08:00:00+08:00',
    status: 'Actual',
    msgType: 'Alert',
    scope: 'Public',
    code: ['linli:1'],
    incidents: 'inc-1',
    info: infoBlocks(),
  };
}

export function platformUpdate(): CapAlert {
  return {
    ...platformAlert(),
    identifier: 'linli-alert-0002',
    sent: '2026-07-01T12:30:00+08:00',
    msgType: 'Update',
    note: 'area enlarged to the whole subdistrict',
    references: `${SENDER},linli-alert-0001,2026-07-01T08:00:00+08:00`,
  };
}

export function platformCancel(): CapAlert {
  return {
    ...platformAlert(),
    identifier: 'linli-alert-0003',
    sent: '2026-07-02T06:00:00+08:00',
    msgType: 'Cancel',
    note: 'all clear',
    references: `${SENDER},linli-alert-0001,2026-07-01T08:00:00+08:00 ${SENDER},linli-alert-0002,2026-07-01T12:30:00+08:00`,
    info: infoBlocks().map((info) => ({
      ...info,
      responseType: ['AllClear' as const],
      urgency: 'Past' as const,
    })),
  };
}
