// The priority of a ticket: the category's default, raised by urgent words in the description and by a vulnerable
// reporter (特殊困难群体). An operator can override it with a reason (not here: that is a command).
import { TICKET_PRIORITIES, type JOB_PRIORITIES } from '@linli/contracts';
import type { TicketPriority } from '../catalogue/catalogue.types';

type JobPriority = (typeof JOB_PRIORITIES)[number];

/**
 * Words that mean life or property is in danger. Chinese words are matched as substrings (no word breaks in
 * Chinese); 火 alone is on the list because a caller often says just that, so the compounds that only look like
 * fire (火车 train, 火锅 hot pot…) are taken out first. A false alarm costs a faster response; a miss costs more.
 */
export const DANGER_WORDS_ZH = [
  '火',
  '起火',
  '着火',
  '燃气',
  '煤气',
  '漏气',
  '触电',
  '倒塌',
  '被困',
  '坠落',
  '流血',
  '昏迷',
];
export const NOT_FIRE_ZH = ['火车', '火锅', '火腿', '火柴', '火龙果', '上火', '火候', '火爆', '火箭'];
export const DANGER_WORDS_EN = [
  'fire',
  'burning',
  'smoke',
  'gas leak',
  'smell of gas',
  'smells of gas',
  'electric shock',
  'electrocuted',
  'collapse',
  'collapsed',
  'trapped',
  'fell from',
  'fallen from',
  'bleeding',
  'unconscious',
  'fainted',
];
/** Water, power, gas and heating (the 24-hour class). */
export const UTILITY_WORDS_ZH = ['停水', '停电', '停气', '暖气', '没水', '没电', '爆管'];
export const UTILITY_WORDS_EN = [
  'no water',
  'water outage',
  'water cut',
  'no power',
  'power cut',
  'power outage',
  'blackout',
  'no electricity',
  'no gas',
  'no heating',
  'heating',
  'burst pipe',
  'pipe burst',
];

/** Most urgent first, as in the contract. */
const ORDER: readonly TicketPriority[] = TICKET_PRIORITIES;

export function isMoreUrgent(a: TicketPriority, b: TicketPriority): boolean {
  return ORDER.indexOf(a) < ORDER.indexOf(b);
}

export function mostUrgent(a: TicketPriority, b: TicketPriority): TicketPriority {
  return isMoreUrgent(b, a) ? b : a;
}

/** One class more urgent (complex → general → utilities → danger); danger stays danger. */
export function raise(priority: TicketPriority): TicketPriority {
  return ORDER[Math.max(0, ORDER.indexOf(priority) - 1)] as TicketPriority;
}

function containsWord(text: string, words: readonly string[]): string | undefined {
  return words.find((word) =>
    new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(text),
  );
}

/** The most urgent class the description's words call for, and the word that did it. */
export function urgencyOfWords(description: string): { level: TicketPriority; word: string } | undefined {
  let zh = description;
  for (const compound of NOT_FIRE_ZH) zh = zh.split(compound).join('');
  const danger = DANGER_WORDS_ZH.find((w) => zh.includes(w)) ?? containsWord(description, DANGER_WORDS_EN);
  if (danger) return { level: 'danger', word: danger };
  const utility =
    UTILITY_WORDS_ZH.find((w) => description.includes(w)) ?? containsWord(description, UTILITY_WORDS_EN);
  if (utility) return { level: 'utilities', word: utility };
  return undefined;
}

export interface PriorityInput {
  defaultPriority: TicketPriority;
  description: string;
  /** Groups of the reporter in special hardship, e.g. ['elderly-alone']. */
  vulnerable: readonly string[];
}

export interface PriorityDecision {
  level: TicketPriority;
  /** Why it is above the category's default, for the timeline (absent when it is the default). */
  reason?: string;
}

export function triagePriority(input: PriorityInput): PriorityDecision {
  let level = input.defaultPriority;
  const reasons: string[] = [];
  const words = urgencyOfWords(input.description);
  if (words && isMoreUrgent(words.level, level)) {
    level = words.level;
    reasons.push(`urgent word "${words.word}"`);
  }
  if (input.vulnerable.length > 0 && level !== raise(level)) {
    level = raise(level);
    reasons.push(`vulnerable reporter (${input.vulnerable.join(', ')})`);
  }
  return reasons.length ? { level, reason: reasons.join('; ') } : { level };
}

/** The job's priority in dispatch: danger is immediate, utilities urgent, everything else routine. */
export function jobPriorityOf(priority: TicketPriority): JobPriority {
  if (priority === 'danger') return 'immediate';
  if (priority === 'utilities') return 'urgent';
  return 'routine';
}
