export const ESCALATION_MODEL = 'Escalation';
