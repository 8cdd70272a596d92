// The emergency alert's messages: the alert, its update and its cancel (to the audiences in the area), the
// reminder on the second channel, and the coordinators' escalation of the silent ones.
import { clip, SMS_MAX_LENGTH, type Template } from './template';

export interface AlertMessageData {
  messageType: 'alert' | 'update' | 'cancel';
  headline: string;
  instruction?: string;
  severity: string;
  /** Present on SMS: the acknowledgement link the body ends with. */
  ackLink?: string;
}

const PREFIX = { 'zh-CN': '【邻里应急】', en: '[Linli alert] ' } as const;

const KIND = {
  'zh-CN': { alert: '预警', update: '预警更新', cancel: '预警解除' },
  en: { alert: 'Alert', update: 'Alert update', cancel: 'Alert cancelled' },
} as const;

const ACK = { 'zh-CN': '收到请确认：', en: 'Please acknowledge: ' } as const;

function alertText(data: AlertMessageData, language: 'zh-CN' | 'en', channel: string, reminder: boolean) {
  const kind = KIND[language][data.messageType];
  const remind = reminder ? (language === 'zh-CN' ? '再次提醒：' : 'Reminder: ') : '';
  const colon = language === 'zh-CN' ? '：' : ': ';
  const title = `${remind}${kind}${colon}${data.headline}`;
  if (channel !== 'sms') {
    return { title, body: [data.headline, data.instruction].filter(Boolean).join('\n') };
  }
  // The link is never cut; the instruction gives way.
  const tail = data.ackLink && data.messageType !== 'cancel' ? ` ${ACK[language]}${data.ackLink}` : '';
  const head = `${PREFIX[language]}${remind}${kind}${colon}${data.headline}`;
  const room = SMS_MAX_LENGTH - [...head].length - [...tail].length - 1;
  const instruction = data.instruction && room > 8 ? ` ${clip(data.instruction, room)}` : '';
  return { title, body: `${clip(head, SMS_MAX_LENGTH - [...tail].length)}${instruction}${tail}` };
}

/** alert.issued: the Alert, Update or Cancel wording; on SMS, ends with the acknowledgement link. */
export const alertMessage: Template<AlertMessageData> = (data, language, channel) =>
  alertText(data, language, channel, false);

/** alert.resend-requested: the same message again on the second channel, as a reminder. */
export const alertReminder: Template<AlertMessageData> = (data, language, channel) =>
  alertText(data, language, channel, true);

export interface AlertEscalatedData {
  alertId: string;
  headline?: string;
  unacknowledgedCount: number;
  needsHelpCount: number;
  /** Where the coordinator reads the list of the silent. */
  listPath: string;
}

/** alert.escalated: the coordinators covering the alert learn how many stayed silent, and where the list is. */
export const alertEscalated: Template<AlertEscalatedData> = (data, language) =>
  language === 'zh-CN'
    ? {
        title: `${data.unacknowledgedCount} 人未确认预警 ${data.alertId}`,
        body:
          `预警「${data.headline ?? data.alertId}」仍有 ${data.unacknowledgedCount} 人未确认` +
          (data.needsHelpCount > 0 ? `，${data.needsHelpCount} 人求助` : '') +
          `。名单：${data.listPath}`,
      }
    : {
        title: `${data.unacknowledgedCount} people have not acknowledged alert ${data.alertId}`,
        body:
          `${data.unacknowledgedCount} people have not acknowledged “${data.headline ?? data.alertId}”` +
          (data.needsHelpCount > 0 ? `; ${data.needsHelpCount} asked for help` : '') +
          `. The list: ${data.listPath}`,
      };
