// What a template is: a typed function from the message's data, the recipient's language and the channel to the
// title and body the person reads. Ids only go in `data`; the text is public or the recipient's own business.
export type Language = 'zh-CN' | 'en';
export type Channel = 'in-app' | 'sms' | 'webhook';

export interface Rendered {
  title: string;
  body: string;
}

export type Template<D> = (data: D, language: Language, channel: Channel) => Rendered;

/** SMS bodies stay within one long message (70 Chinese characters a segment, a few segments). */
export const SMS_MAX_LENGTH = 280;

/** Cuts text to `max` characters, ending with … when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Asia/Shanghai wall-clock time of an instant, `yyyy-MM-dd HH:mm`, as people read it. */
export function chinaTime(iso: string): string {
  const local = new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}
