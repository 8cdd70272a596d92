// The plan's indicators as insights serves them: a stable code, names and formula in Chinese and English, the
// unit, the CloudEvents types they are computed from, the fact collections they read, and the arithmetic.
// GET /indicators shows everything but `facts` and `compute`.
import {
  alertAcknowledged,
  alertIssued,
  broadcastRecipientsResolved,
  caseClosed,
  caseOpened,
  caseReopened,
  caseTimeLimitExtended,
  elderRegistered,
  elderUpdated,
  feedbackRecorded,
  jobAccepted,
  jobCompleted,
  jobOffered,
  jobRequested,
  jobStarted,
  outcomeRecorded,
  ticketCancelled,
  ticketResolved,
  ticketTriaged,
  visitCompleted,
} from '@linli/contracts';
import type { FactSet } from './facts';
import {
  alertAckMedianMinutes,
  alertAckRate,
  elderHomeServiceShare,
  hardshipVisitCoverage,
  jobAcceptMedianMinutes,
  mediationSuccessRate,
  mediationWithinLimitRate,
  providerKindShare,
  residentSatisfactionRate,
  ticketOnTimeRate,
  volunteerServiceHours,
  type IndicatorResult,
  type IndicatorWindow,
} from './indicator.rules';

export const INDICATOR_CODES = [
  'elder-home-service-share',
  'hardship-visit-coverage',
  'mediation-success-rate',
  'mediation-within-limit-rate',
  'ticket-on-time-rate',
  'resident-satisfaction-rate',
  'job-accept-median-minutes',
  'alert-ack-rate',
  'alert-ack-median-minutes',
  'provider-kind-share',
  'volunteer-service-hours',
] as const;
export type IndicatorCode = (typeof INDICATOR_CODES)[number];

export type IndicatorUnit = 'ratio' | 'minutes' | 'hours';

export interface Bilingual {
  zh: string;
  en: string;
}

export interface IndicatorDefinition {
  code: IndicatorCode;
  name: Bilingual;
  formula: Bilingual;
  unit: IndicatorUnit;
  /** CloudEvents types the facts it reads are projected from. */
  sourceEvents: string[];
  /** The fact collections `compute` reads (the caller loads only these, limited to the node). */
  facts: (keyof FactSet)[];
  compute(facts: FactSet, window: IndicatorWindow): IndicatorResult;
}

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    code: 'elder-home-service-share',
    name: {
      zh: '接受上门服务的居家老年人数占比',
      en: 'Share of home-dwelling elders receiving door-to-door services',
    },
    formula: {
      zh: '期内接受过至少一次上门服务（签出完成的探访）的居家老年人数 ÷ 期内在册（服务中）的居家老年人数',
      en:
        'Home-dwelling elders with at least one door-to-door visit checked out in the period ÷ home-dwelling ' +
        'elders registered and active at some time in the period',
    },
    unit: 'ratio',
    sourceEvents: [elderRegistered.type, elderUpdated.type, visitCompleted.type],
    facts: ['elders', 'visits'],
    compute: elderHomeServiceShare,
  },
  {
    code: 'hardship-visit-coverage',
    name: { zh: '困难群众走访发现覆盖率', en: 'Safety-visit coverage of elders in hardship' },
    formula: {
      zh: '期内至少接受一次安全巡访的困难老年人数（独居或有低保、残疾、精神障碍、特困标记）÷ 期内在册的困难老年人数',
      en:
        'Elders in hardship (living alone, or low-income, disabled, mental-disorder or special-hardship) with at ' +
        'least one safety visit checked out in the period ÷ such elders active at some time in the period',
    },
    unit: 'ratio',
    sourceEvents: [elderRegistered.type, elderUpdated.type, visitCompleted.type],
    facts: ['elders', 'visits'],
    compute: hardshipVisitCoverage,
  },
  {
    code: 'mediation-success-rate',
    name: { zh: '矛盾纠纷调解成功率', en: 'Dispute mediation success rate' },
    formula: {
      zh: '期内以达成协议结案的调解案件数 ÷ 期内记录调解结果（协议、失败、移交）的案件数',
      en: 'Cases whose outcome recorded in the period is an agreement ÷ cases with an outcome (agreement, failed, referred) recorded in the period',
    },
    unit: 'ratio',
    sourceEvents: [caseOpened.type, outcomeRecorded.type, caseReopened.type],
    facts: ['cases'],
    compute: mediationSuccessRate,
  },
  {
    code: 'mediation-within-limit-rate',
    name: { zh: '调解案件按期办结率', en: 'Share of mediation cases concluded within the time limit' },
    formula: {
      zh:
        '期内在时限内记录结果的案件数 ÷（期内在时限内记录结果的案件数 + 时限届满于期内而当时未记录结果的案件数）；' +
        '时限含延期，届满前撤回的案件不计',
      en:
        'Cases with an outcome recorded within their time limit in the period ÷ (those + cases whose time limit, as ' +
        'extended, ran out in the period without an outcome by then); cases withdrawn before their limit are not counted',
    },
    unit: 'ratio',
    sourceEvents: [
      caseOpened.type,
      caseTimeLimitExtended.type,
      outcomeRecorded.type,
      caseReopened.type,
      caseClosed.type,
    ],
    facts: ['cases'],
    compute: mediationWithinLimitRate,
  },
  {
    code: 'ticket-on-time-rate',
    name: { zh: '工单按时办结率', en: 'Ticket on-time resolution rate' },
    formula: {
      zh:
        '期内在办结时限内首次办结的工单数 ÷（期内按时办结的工单数 + 办结时限届满于期内而届满时未办结的工单数）；' +
        '时限届满前撤销的工单不计',
      en:
        'Tickets first resolved by their resolution deadline, in the period ÷ (those + tickets whose deadline passed ' +
        'in the period unresolved); tickets cancelled before their deadline are not counted',
    },
    unit: 'ratio',
    sourceEvents: [ticketTriaged.type, ticketResolved.type, ticketCancelled.type],
    facts: ['tickets'],
    compute: ticketOnTimeRate,
  },
  {
    code: 'resident-satisfaction-rate',
    name: { zh: '居民满意率', en: 'Resident satisfaction rate' },
    formula: {
      zh: '期内回访评分为 3 至 5 分（满意）的次数 ÷ 期内回访有评分的次数',
      en: 'Call-backs in the period scored 3 to 5 (satisfied) ÷ call-backs in the period with a score',
    },
    unit: 'ratio',
    sourceEvents: [feedbackRecorded.type],
    facts: ['feedback'],
    compute: residentSatisfactionRate,
  },
  {
    code: 'job-accept-median-minutes',
    name: { zh: '派单接单时长中位数', en: 'Median time to accept a job' },
    formula: {
      zh: '期内首次被接单的任务，从派单请求（无请求记录时为首次派单）到接单的分钟数的中位数',
      en: 'Median of the minutes from the request (or first offer) to the acceptance, over the jobs first accepted in the period',
    },
    unit: 'minutes',
    sourceEvents: [jobRequested.type, jobOffered.type, jobAccepted.type],
    facts: ['jobs'],
    compute: jobAcceptMedianMinutes,
  },
  {
    code: 'alert-ack-rate',
    name: { zh: '预警信息确认率', en: 'Alert acknowledgement rate' },
    formula: {
      zh: '期内发布的预警中已确认的接收人数 ÷ 期内发布的预警的接收人数',
      en: 'Recipients of the alerts issued in the period who acknowledged ÷ recipients of those alerts',
    },
    unit: 'ratio',
    sourceEvents: [alertIssued.type, broadcastRecipientsResolved.type, alertAcknowledged.type],
    facts: ['alerts', 'alertRecipients'],
    compute: alertAckRate,
  },
  {
    code: 'alert-ack-median-minutes',
    name: { zh: '预警确认时长中位数', en: 'Median time to acknowledge an alert' },
    formula: {
      zh: '期内发布的预警，从发布到接收人确认的分钟数的中位数',
      en: 'Median of the minutes from issue to acknowledgement, over the acknowledgements of the alerts issued in the period',
    },
    unit: 'minutes',
    sourceEvents: [alertIssued.type, alertAcknowledged.type],
    facts: ['alerts', 'alertRecipients'],
    compute: alertAckMedianMinutes,
  },
  {
    code: 'provider-kind-share',
    name: {
      zh: '五社联动各类主体承接服务占比',
      en: 'Share of completed jobs by each of the five kinds of provider',
    },
    formula: {
      zh: '期内各类主体（社区、社会组织、社工、志愿者、慈善资源）完成的任务数 ÷ 期内五类主体完成的任务总数（企业另计）',
      en:
        'Jobs completed in the period by each kind (community, social organisation, social worker, volunteer, ' +
        'charity) ÷ jobs completed in the period by the five kinds (companies counted apart)',
    },
    unit: 'ratio',
    sourceEvents: [jobAccepted.type, jobCompleted.type],
    facts: ['jobs'],
    compute: providerKindShare,
  },
  {
    code: 'volunteer-service-hours',
    name: { zh: '志愿服务时长', en: 'Volunteer service hours' },
    formula: {
      zh: '期内志愿者完成的任务从签到（开始）到完成的小时数之和',
      en: 'Sum of the hours from start (check-in) to completion of the jobs volunteers completed in the period',
    },
    unit: 'hours',
    sourceEvents: [jobStarted.type, jobCompleted.type],
    facts: ['jobs'],
    compute: volunteerServiceHours,
  },
];

const BY_CODE = new Map<string, IndicatorDefinition>(INDICATORS.map((d) => [d.code, d]));

export function isIndicatorCode(value: unknown): value is IndicatorCode {
  return typeof value === 'string' && BY_CODE.has(value);
}

export function indicatorByCode(code: string): IndicatorDefinition | undefined {
  return BY_CODE.get(code);
}

/** A definition as GET /indicators serves it. */
export function definitionView(
  definition: IndicatorDefinition,
): Pick<IndicatorDefinition, 'code' | 'name' | 'formula' | 'unit' | 'sourceEvents'> {
  const { code, name, formula, unit, sourceEvents } = definition;
  return { code, name, formula, unit, sourceEvents: [...sourceEvents] };
}

/** Every indicator for one node's facts and one window, in the definitions' order. */
export function computeAll(
  facts: FactSet,
  window: IndicatorWindow,
): ({ code: IndicatorCode } & IndicatorResult)[] {
  return INDICATORS.map((d) => ({ code: d.code, ...d.compute(facts, window) }));
}
