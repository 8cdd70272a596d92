// The GeoReport service list and service definitions, from the category catalogue: one service per category,
// `group` the plan's service class (为民 / 便民 / 安民 / general), and the attributes a request must or may carry.
import type { ServiceClass } from '@linli/contracts';
import type { VULNERABLE_GROUPS } from '../tickets/ticket.rules';
import type { Open311Object } from './georeport.serializer';
import type { Open311Locale } from './status.rules';

type Text = Record<Open311Locale, string>;

/** What the Open311 side needs of a catalogue category (adapted from CatalogueService's entries). */
export interface ServiceEntry {
  code: string;
  name: Text;
  serviceClass: ServiceClass;
  /** Words a resident might use for it, per language; become `keywords`. */
  keywords: Record<Open311Locale, readonly string[]>;
}

export const SERVICE_CLASS_NAMES: Record<ServiceClass, Text> = {
  public: { zh: '为民服务', en: 'public services' },
  convenience: { zh: '便民服务', en: 'convenience services' },
  safety: { zh: '安民服务', en: 'safety services' },
  general: { zh: '综合', en: 'general' },
};

/**
 * The community of the administrative tree the request belongs to. Every ticket lies in one community (its
 * jurisdiction); a client that locates a request by coordinates or a typed address must also say which one.
 * `address_id`, when given, is that community's code, so this attribute may then be left out.
 */
export const COMMUNITY_ATTRIBUTE = 'community_code';
/** Residents in special hardship (特殊困难群体): a request from one is handled one priority level sooner. */
export const VULNERABLE_ATTRIBUTE = 'vulnerable';

/** Names of the core's vulnerable groups (a group added there fails to compile here until it is named). */
export const VULNERABLE_GROUP_NAMES: Record<(typeof VULNERABLE_GROUPS)[number], Text> = {
  'elderly-alone': { zh: '独居老人', en: 'elder living alone' },
  disabled: { zh: '残疾人', en: 'person with a disability' },
  pregnant: { zh: '孕妇', en: 'pregnant woman' },
  child: { zh: '儿童', en: 'child' },
  'low-income': { zh: '低收入家庭', en: 'low-income household' },
  'mental-disorder': { zh: '精神障碍患者', en: 'person with a mental disorder' },
  'left-behind-child': { zh: '留守儿童', en: 'left-behind child' },
};

export type AttributeDatatype =
  'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

export interface AttributeDefinition {
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  order: number;
  datatypeDescription: Text;
  description: Text;
  values?: Record<string, Text>;
}

/** The same two attributes for every service: where (community) and for whom (a vulnerable resident). */
export const ATTRIBUTES: readonly AttributeDefinition[] = [
  {
    code: COMMUNITY_ATTRIBUTE,
    datatype: 'string',
    // `required` cannot say "unless address_id": true makes every form ask for it; a client that gives
    // address_id may still leave it out (see the description).
    required: true,
    order: 1,
    datatypeDescription: {
      zh: '12 位社区（村）统计用区划代码，例如 320106001003',
      en: '12-digit statistical division code of the community (社区) or village, e.g. 320106001003',
    },
    description: {
      zh: '问题所在的社区（村）。已提供 address_id 时可不填。',
      en: 'The community or village where the problem is. May be left out when address_id is given.',
    },
  },
  {
    code: VULNERABLE_ATTRIBUTE,
    datatype: 'multivaluelist',
    required: false,
    order: 2,
    datatypeDescription: { zh: '可多选', en: 'choose any that apply' },
    description: {
      zh: '求助人是否属于以下特殊困难群体（将优先处理）',
      en: 'Whether the person in need belongs to one of these groups (handled sooner)',
    },
    values: VULNERABLE_GROUP_NAMES,
  },
];

export function attributeByCode(code: string): AttributeDefinition | undefined {
  return ATTRIBUTES.find((attribute) => attribute.code === code);
}

export function toServiceList(entries: readonly ServiceEntry[], locale: Open311Locale): Open311Object[] {
  return entries.map((entry) => ({
    service_code: entry.code,
    service_name: entry.name[locale],
    description: describe(entry, locale),
    // Every service has attributes (at least the community), so clients must read its definition.
    metadata: true,
    // Tickets are created synchronously: the id comes back at once.
    type: 'realtime',
    keywords: entry.keywords[locale].join(', '),
    group: SERVICE_CLASS_NAMES[entry.serviceClass][locale],
  }));
}

export function toServiceDefinition(entry: ServiceEntry, locale: Open311Locale): Open311Object {
  return {
    service_code: entry.code,
    attributes: [...ATTRIBUTES]
      .sort((a, b) => a.order - b.order)
      .map((attribute) => ({
        variable: true,
        code: attribute.code,
        datatype: attribute.datatype,
        required: attribute.required,
        datatype_description: attribute.datatypeDescription[locale],
        order: attribute.order,
        description: attribute.description[locale],
        ...(attribute.values
          ? {
              values: Object.entries(attribute.values).map(([key, name]) => ({ key, name: name[locale] })),
            }
          : {}),
      })),
  };
}

function describe(entry: ServiceEntry, locale: Open311Locale): string {
  const other: Open311Locale = locale === 'zh' ? 'en' : 'zh';
  const group = SERVICE_CLASS_NAMES[entry.serviceClass][locale];
  return locale === 'zh'
    ? `${entry.name.zh}（${entry.name[other]}），${group}`
    : `${entry.name.en} (${entry.name[other]}), ${group}`;
}

/** The caller's language from Accept-Language: English when preferred over Chinese, Chinese otherwise. */
export function localeOf(acceptLanguage: string | undefined): Open311Locale {
  if (!acceptLanguage) return 'zh';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, weight: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  const first = ranked.find((entry) => entry.tag.startsWith('en') || entry.tag.startsWith('zh'));
  return first?.tag.startsWith('en') ? 'en' : 'zh';
}
