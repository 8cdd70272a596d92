export const CARE_PLAN_MODEL = 'CarePlan';
