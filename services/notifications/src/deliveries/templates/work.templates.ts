// What the other services' events tell people: a provider of a new offer, an operator of a call-back due, the
// supervisors of an escalation, a mediator of a session coming up or a follow-up visit due.
import { chinaTime, type Template } from './template';

export const jobOffered: Template<{ jobId: string; expiresAt: string }> = (data, language) =>
  language === 'zh-CN'
    ? {
        title: `新的服务邀约 ${data.jobId}`,
        body: `您有一个新的服务邀约，请在 ${chinaTime(data.expiresAt)} 前接受或拒绝。`,
      }
    : {
        title: `New job offer ${data.jobId}`,
        body: `You have a new job offer; accept or decline it before ${chinaTime(data.expiresAt)}.`,
      };

export const ticketCallbackDue: Template<{ ticketId: string; round: number; attempt: number }> = (
  data,
  language,
) =>
  language === 'zh-CN'
    ? {
        title: `回访到期 ${data.ticketId}`,
        body:
          `工单 ${data.ticketId} 的第 ${data.round} 次回访已到期` +
          (data.attempt > 1 ? `（第 ${data.attempt} 次尝试）` : '') +
          '，请致电居民。',
      }
    : {
        title: `Call-back due ${data.ticketId}`,
        body:
          `Call-back ${data.round} of ticket ${data.ticketId} is due` +
          (data.attempt > 1 ? ` (try ${data.attempt})` : '') +
          '; please call the resident.',
      };

const WHAT = {
  ticket: { 'zh-CN': '工单', en: 'Ticket' },
  job: { 'zh-CN': '服务任务', en: 'Job' },
  case: { 'zh-CN': '调解案件', en: 'Mediation case' },
  elder: { 'zh-CN': '老人', en: 'Elder' },
} as const;

/** The escalation reasons of the contracts as people read them; an unknown one is shown as it is. */
const REASONS: Record<string, { 'zh-CN': string; en: string }> = {
  'accept-deadline-missed': { 'zh-CN': '超时未受理', en: 'not accepted in time' },
  'resolve-deadline-missed': { 'zh-CN': '超时未办结', en: 'not resolved in time' },
  'deadline-missed': { 'zh-CN': '超时未完成', en: 'not done in time' },
  'no-provider': { 'zh-CN': '无人接单', en: 'no provider took it' },
  'time-limit-breached': { 'zh-CN': '超过调解期限', en: 'past its time limit' },
  'no-mediator': { 'zh-CN': '无调解员', en: 'no mediator' },
  'missed-visits-in-a-row': { 'zh-CN': '连续错过探访', en: 'visits missed in a row' },
  manual: { 'zh-CN': '人工升级', en: 'escalated by hand' },
};

export interface EscalationData {
  subject: keyof typeof WHAT;
  id: string;
  reason: string;
  level?: number;
}

/** ticket.escalated, job.escalated, case.escalated, elder.escalated: the supervisors must act. */
export const escalation: Template<EscalationData> = (data, language) => {
  const what = WHAT[data.subject][language];
  const reason = REASONS[data.reason]?.[language] ?? data.reason;
  return language === 'zh-CN'
    ? {
        title: `升级督办：${what} ${data.id}`,
        body:
          `${what} ${data.id} 已升级（原因：${reason}` +
          (data.level ? `，第 ${data.level} 级` : '') +
          '），请及时处理。',
      }
    : {
        title: `Escalated: ${what} ${data.id}`,
        body:
          `${what} ${data.id} was escalated (reason: ${reason}` +
          (data.level ? `, level ${data.level}` : '') +
          '); please act.',
      };
};

export const sessionReminder: Template<{ caseId: string; sessionId: string; scheduledFor: string }> = (
  data,
  language,
) =>
  language === 'zh-CN'
    ? {
        title: `调解会议提醒 ${data.caseId}`,
        body: `案件 ${data.caseId} 的调解会议 ${data.sessionId} 将于 ${chinaTime(data.scheduledFor)} 举行。`,
      }
    : {
        title: `Mediation session reminder ${data.caseId}`,
        body: `Session ${data.sessionId} of case ${data.caseId} is at ${chinaTime(data.scheduledFor)}.`,
      };

export const followUpDue: Template<{ caseId: string; followUpId: string; dueAt: string }> = (
  data,
  language,
) =>
  language === 'zh-CN'
    ? {
        title: `回访到期 ${data.caseId}`,
        body: `案件 ${data.caseId} 的回访 ${data.followUpId} 应于 ${chinaTime(data.dueAt)} 前完成，请核实协议履行情况。`,
      }
    : {
        title: `Follow-up due ${data.caseId}`,
        body: `Follow-up ${data.followUpId} of case ${data.caseId} is due by ${chinaTime(data.dueAt)}: check the agreement is kept.`,
      };
