// The category catalogue as data: the 16 categories of @linli/contracts with their names, service class,
// routing, skill, default priority, service levels and call-back delay. Changing a target here changes every
// ticket triaged after the next start; `catalogue.rules.ts` checks the table at start-up.
//
// Decisions (see also the report of issue 3):
// - Service levels default to the 12345 hotline norms (DOMAIN.md): resolve within 2 h when life or property is in
//   danger, 24 h for water, power, gas and heating, 7 days general, 15 days complex; online tickets accepted
//   within 2 h, and danger within 30 minutes (someone must be on the way long before the 2 h are up).
// - elder-care goes to dispatch, not to the elder-care service: a hotline call about an elder is almost always a
//   one-off job (a visit, a meal, help at home); enrolment in a care plan is elder-care's own intake.
// - dispute goes to mediation (人民调解); emergency and public-safety go to emergency (应急). Those services take
//   the ticket over; until they report back, an operator or supervisor resolves it by hand.
import type { ServiceCategory } from '@linli/contracts';
import type { CategoryDefinition, ServiceLevelTable } from './catalogue.types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The hotline norms, per priority. */
export const DEFAULT_SERVICE_LEVELS: ServiceLevelTable = {
  danger: { acceptWithinMs: 30 * MINUTE, resolveWithinMs: 2 * HOUR },
  utilities: { acceptWithinMs: 2 * HOUR, resolveWithinMs: 24 * HOUR },
  general: { acceptWithinMs: 2 * HOUR, resolveWithinMs: 7 * DAY },
  complex: { acceptWithinMs: 2 * HOUR, resolveWithinMs: 15 * DAY },
};

/** The call-back (回访) one day after resolution, unless a category needs longer to show whether it held. */
export const DEFAULT_CALLBACK_DELAY_MS = DAY;

const standard = { serviceLevels: DEFAULT_SERVICE_LEVELS, callbackDelayMs: DEFAULT_CALLBACK_DELAY_MS };

export const CATEGORY_DATA: readonly CategoryDefinition[] = [
  // 为民服务 public services
  {
    code: 'elder-care',
    name: { zh: '养老服务', en: 'Elder care' },
    serviceClass: 'public',
    routing: 'dispatch',
    skill: 'elder-care',
    defaultPriority: 'general',
    ...standard,
    keywords: {
      zh: ['老人', '养老', '助餐', '助浴', '陪护'],
      en: ['elder', 'elderly', 'meal', 'bathing', 'companion'],
    },
  },
  {
    code: 'childcare',
    name: { zh: '托育服务', en: 'Childcare' },
    serviceClass: 'public',
    routing: 'dispatch',
    skill: 'childcare',
    defaultPriority: 'general',
    ...standard,
    keywords: { zh: ['托育', '儿童', '留守', '看护'], en: ['child', 'childcare', 'nursery', 'left-behind'] },
  },
  {
    code: 'disability-support',
    name: { zh: '助残服务', en: 'Disability support' },
    serviceClass: 'public',
    routing: 'dispatch',
    skill: 'disability-support',
    defaultPriority: 'general',
    ...standard,
    keywords: { zh: ['残疾', '轮椅', '助残', '康复'], en: ['disability', 'wheelchair', 'rehabilitation'] },
  },
  {
    code: 'employment',
    name: { zh: '就业服务', en: 'Employment' },
    serviceClass: 'public',
    routing: 'dispatch',
    skill: 'employment-services',
    defaultPriority: 'general',
    ...standard,
    keywords: { zh: ['就业', '失业', '招聘', '培训'], en: ['job', 'unemployed', 'training', 'employment'] },
  },
  {
    code: 'health',
    name: { zh: '健康服务', en: 'Health' },
    serviceClass: 'public',
    routing: 'dispatch',
    skill: 'health-care',
    defaultPriority: 'general',
    ...standard,
    keywords: {
      zh: ['健康', '体检', '家庭医生', '测血压'],
      en: ['health', 'doctor', 'check-up', 'blood pressure'],
    },
  },
  {
    code: 'mental-health',
    name: { zh: '心理健康', en: 'Mental health' },
    serviceClass: 'public',
    routing: 'dispatch',
    skill: 'mental-health',
    defaultPriority: 'general',
    ...standard,
    keywords: {
      zh: ['心理', '抑郁', '焦虑', '精神'],
      en: ['mental', 'depression', 'anxiety', 'counselling'],
    },
  },
  // 便民服务 convenience services
  {
    code: 'repair',
    name: { zh: '维修服务', en: 'Repairs' },
    serviceClass: 'convenience',
    routing: 'dispatch',
    skill: 'repair',
    defaultPriority: 'general',
    ...standard,
    keywords: {
      zh: ['维修', '漏水', '水龙头', '马桶', '电路', '门锁'],
      en: ['repair', 'leak', 'tap', 'toilet', 'wiring', 'lock'],
    },
  },
  {
    code: 'property',
    name: { zh: '物业服务', en: 'Property management' },
    serviceClass: 'convenience',
    routing: 'dispatch',
    skill: 'property-management',
    defaultPriority: 'general',
    ...standard,
    keywords: {
      zh: ['物业', '电梯', '停车', '门禁'],
      en: ['property', 'lift', 'elevator', 'parking', 'gate'],
    },
  },
  {
    code: 'sanitation',
    name: { zh: '环境卫生', en: 'Sanitation' },
    serviceClass: 'convenience',
    routing: 'dispatch',
    skill: 'sanitation',
    defaultPriority: 'general',
    ...standard,
    keywords: { zh: ['垃圾', '卫生', '下水道', '异味'], en: ['rubbish', 'garbage', 'drain', 'smell'] },
  },
  {
    code: 'housekeeping',
    name: { zh: '家政服务', en: 'Housekeeping' },
    serviceClass: 'convenience',
    routing: 'dispatch',
    skill: 'housekeeping',
    defaultPriority: 'general',
    ...standard,
    keywords: { zh: ['家政', '保洁', '清洗', '搬家'], en: ['housekeeping', 'cleaning', 'moving'] },
  },
  // 安民服务 safety services
  {
    code: 'dispute',
    name: { zh: '矛盾纠纷', en: 'Disputes' },
    serviceClass: 'safety',
    routing: 'mediation',
    skill: 'mediation',
    defaultPriority: 'complex',
    serviceLevels: DEFAULT_SERVICE_LEVELS,
    // An agreement shows whether it holds after a few days, not the next morning.
    callbackDelayMs: 3 * DAY,
    keywords: {
      zh: ['纠纷', '邻里', '噪音', '吵架', '调解'],
      en: ['dispute', 'neighbour', 'noise', 'quarrel'],
    },
  },
  {
    code: 'emergency',
    name: { zh: '应急求助', en: 'Emergencies' },
    serviceClass: 'safety',
    routing: 'emergency',
    skill: 'emergency-response',
    defaultPriority: 'danger',
    serviceLevels: {
      ...DEFAULT_SERVICE_LEVELS,
      // An emergency that comes in through the hotline must be taken on within minutes.
      danger: { acceptWithinMs: 15 * MINUTE, resolveWithinMs: 2 * HOUR },
    },
    callbackDelayMs: DEFAULT_CALLBACK_DELAY_MS,
    keywords: {
      zh: ['火灾', '燃气', '被困', '倒塌', '急救'],
      en: ['fire', 'gas leak', 'trapped', 'collapse'],
    },
  },
  {
    code: 'public-safety',
    name: { zh: '公共安全', en: 'Public safety' },
    serviceClass: 'safety',
    routing: 'emergency',
    skill: 'public-safety',
    defaultPriority: 'utilities',
    ...standard,
    keywords: { zh: ['治安', '隐患', '井盖', '路灯'], en: ['safety', 'hazard', 'manhole', 'streetlight'] },
  },
  // general: none of the three
  {
    code: 'consultation',
    name: { zh: '政策咨询', en: 'Consultation' },
    serviceClass: 'general',
    routing: 'dispatch',
    skill: 'consultation',
    defaultPriority: 'general',
    ...standard,
    keywords: { zh: ['咨询', '政策', '办事', '证明'], en: ['question', 'policy', 'certificate', 'how to'] },
  },
  {
    code: 'complaint',
    name: { zh: '投诉', en: 'Complaint' },
    serviceClass: 'general',
    routing: 'dispatch',
    skill: 'complaint-handling',
    // A complaint is investigated before it is answered: the 15-day class.
    defaultPriority: 'complex',
    serviceLevels: DEFAULT_SERVICE_LEVELS,
    callbackDelayMs: 2 * DAY,
    keywords: { zh: ['投诉', '不满', '态度'], en: ['complaint', 'complain', 'rude'] },
  },
  {
    code: 'other',
    name: { zh: '其他', en: 'Other' },
    serviceClass: 'general',
    routing: 'dispatch',
    skill: 'community-affairs',
    defaultPriority: 'general',
    ...standard,
    keywords: { zh: ['其他'], en: ['other'] },
  },
] satisfies readonly (CategoryDefinition & { code: ServiceCategory })[];
