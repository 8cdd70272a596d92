// Reads CAP 1.2 XML from other authorities into the model, refusing anything unsafe or not CAP 1.2 with a typed
// error naming the element (`alert.info[0].urgency`). Safety comes first and before any parsing: a size limit, and
// no DOCTYPE or ENTITY declaration at all (no entity expansion, so no XML bomb and no external entity can be read).
// fast-xml-parser then runs with entity processing off; the five predefined entities and character references are
// decoded here, by a fixed table.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_MSG_TYPES,
  CAP_NAMESPACE,
  CAP_RESPONSE_TYPES,
  CAP_SCOPES,
  CAP_SEVERITIES,
  CAP_STATUSES,
  CAP_URGENCIES,
  CapAlert,
  CapArea,
  CapInfo,
  CapResource,
  CapValuePair,
  isCapDateTime,
} from './cap.model';

/** CAP input refused: `field` is the path of the offending element (`document` for the input as a whole). */
export class CapParseError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'CapParseError';
  }
}

export const CAP_DEFAULT_MAX_BYTES = 1024 * 1024;

export interface CapParseOptions {
  /** Inputs larger than this (UTF-8 bytes) are refused unread. Default 1 MiB. */
  maxBytes?: number;
}

const DECLARATION = /<!\s*(DOCTYPE|ENTITY)/i;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ATTR = '@_';
const TEXT = '#text';
const CDATA = '#cdata';

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  cdataPropName: CDATA,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function decodeEntities(raw: string, field: string): string {
  return raw.replace(/&([^;&\s]{1,10});/g, (_all, ref: string) => {
    if (ref in PREDEFINED) return PREDEFINED[ref];
    const code = /^#x[0-9a-f]+$/i.test(ref)
      ? parseInt(ref.slice(2), 16)
      : /^#\d+$/.test(ref)
        ? Number(ref.slice(1))
        : NaN;
    if (Number.isNaN(code) || code > 0x10ffff) {
      throw new CapParseError(
        field,
        `unknown entity reference &${ref}; (only the five XML entities are accepted)`,
      );
    }
    return String.fromCodePoint(code);
  });
}

type XmlNode = Record<string, unknown>;

/** Whether an element (or every occurrence of it) moves its own prefix to a namespace other than CAP 1.2's. */
function declaresOtherNamespace(value: unknown, prefix: string): boolean {
  const attr = prefix ? `${ATTR}xmlns:${prefix}` : `${ATTR}xmlns`;
  return ([] as unknown[]).concat(value).some((node) => {
    if (node === null || typeof node !== 'object') return false;
    const declared = (node as XmlNode)[attr];
    return declared !== undefined && declared !== CAP_NAMESPACE;
  });
}

/** One CAP element's children, by local name, with the helpers that read them as the XSD types them. */
class Element {
  private readonly children = new Map<string, unknown[]>();

  constructor(
    node: unknown,
    readonly path: string,
    prefix: string,
    allowed: readonly string[],
  ) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return; // empty element: no children
    for (const [key, value] of Object.entries(node as XmlNode)) {
      if (key.startsWith(ATTR) || key === TEXT || key === CDATA) continue;
      const colon = key.indexOf(':');
      const keyPrefix = colon < 0 ? '' : key.slice(0, colon);
      // Another namespace (e.g. an xmldsig Signature, by prefix or by its own xmlns): not CAP's to read.
      if (keyPrefix !== prefix || declaresOtherNamespace(value, prefix)) continue;
      const local = key.slice(colon + 1);
      if (!allowed.includes(local)) {
        throw new CapParseError(
          `${path}.${local}`,
          `<${local}> is not a CAP 1.2 element of <${path
            .split('.')
            .pop()!
            .replace(/\[\d+\]$/, '')}>`,
        );
      }
      this.children.set(local, Array.isArray(value) ? value : [value]);
    }
  }

  all(name: string): unknown[] {
    return this.children.get(name) ?? [];
  }

  private one(name: string): unknown {
    const values = this.all(name);
    if (values.length > 1) throw new CapParseError(`${this.path}.${name}`, `<${name}> may occur only once`);
    return values[0];
  }

  textOf(value: unknown, field: string): string {
    if (typeof value === 'string') return decodeEntities(value, field);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const node = value as XmlNode;
      const elements = Object.keys(node).filter((k) => !k.startsWith(ATTR) && k !== TEXT && k !== CDATA);
      if (elements.length > 0) throw new CapParseError(field, `must be text, found <${elements[0]}>`);
      const text = typeof node[TEXT] === 'string' ? decodeEntities(node[TEXT], field) : '';
      const cdata = node[CDATA] === undefined ? '' : ([] as unknown[]).concat(node[CDATA]).join('');
      return text + cdata;
    }
    return '';
  }

  optional(name: string): string | undefined {
    const value = this.one(name);
    return value === undefined ? undefined : this.textOf(value, `${this.path}.${name}`);
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined || value === '') {
      throw new CapParseError(`${this.path}.${name}`, `<${name}> is required`);
    }
    return value;
  }

  texts(name: string): string[] {
    return this.all(name).map((v, i) => this.textOf(v, `${this.path}.${name}[${i}]`));
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T {
    return checkEnum(this.required(name), values, `${this.path}.${name}`);
  }

  dateTime(name: string, required: true): string;
  dateTime(name: string, required?: false): string | undefined;
  dateTime(name: string, required = false): string | undefined {
    const value = required ? this.required(name) : this.optional(name);
    if (value !== undefined && !isCapDateTime(value)) {
      throw new CapParseError(
        `${this.path}.${name}`,
        `"${value}" is not a CAP 1.2 date-time: it must be YYYY-MM-DDThh:mm:ss with a numeric offset such as +08:00 or -05:00 (not Z, no fractions)`,
      );
    }
    return value;
  }

  decimal(name: string, integer = false): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const pattern = integer ? /^[-+]?\d+$/ : /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
    if (!pattern.test(value)) {
      throw new CapParseError(
        `${this.path}.${name}`,
        `"${value}" is not ${integer ? 'an integer' : 'a decimal number'}`,
      );
    }
    return Number(value);
  }
}

function checkEnum<T extends string>(value: string, values: readonly T[], field: string): T {
  if (!(values as readonly string[]).includes(value)) {
    throw new CapParseError(field, `"${value}" is not one of ${values.join(', ')}`);
  }
  return value as T;
}

const ALERT_ELEMENTS = [
  'identifier',
  'sender',
  'sent',
  'status',
  'msgType',
  'source',
  'scope',
  'restriction',
  'addresses',
  'code',
  'note',
  'references',
  'incidents',
  'info',
];
const INFO_ELEMENTS = [
  'language',
  'category',
  'event',
  'responseType',
  'urgency',
  'severity',
  'certainty',
  'audience',
  'eventCode',
  'effective',
  'onset',
  'expires',
  'senderName',
  'headline',
  'description',
  'instruction',
  'web',
  'contact',
  'parameter',
  'resource',
  'area',
];
const RESOURCE_ELEMENTS = ['resourceDesc', 'mimeType', 'size', 'uri', 'derefUri', 'digest'];
const AREA_ELEMENTS = ['areaDesc', 'polygon', 'circle', 'geocode', 'altitude', 'ceiling'];
const PAIR_ELEMENTS = ['valueName', 'value'];
const LANGUAGE = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;

function withOptional<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

class CapReader {
  constructor(private readonly prefix: string) {}

  element(node: unknown, path: string, allowed: readonly string[]): Element {
    return new Element(node, path, this.prefix, allowed);
  }

  pairs(parent: Element, name: string): CapValuePair[] {
    return parent.all(name).map((node, i) => {
      const e = this.element(node, `${parent.path}.${name}[${i}]`, PAIR_ELEMENTS);
      return { valueName: e.required('valueName'), value: e.optional('value') ?? '' };
    });
  }

  alert(node: unknown): CapAlert {
    const e = this.element(node, 'alert', ALERT_ELEMENTS);
    return withOptional({
      identifier: e.required('identifier'),
      sender: e.required('sender'),
      sent: e.dateTime('sent', true),
      status: e.oneOf('status', CAP_STATUSES),
      msgType: e.oneOf('msgType', CAP_MSG_TYPES),
      source: e.optional('source'),
      scope: e.oneOf('scope', CAP_SCOPES),
      restriction: e.optional('restriction'),
      addresses: e.optional('addresses'),
      code: e.texts('code'),
      note: e.optional('note'),
      references: e.optional('references'),
      incidents: e.optional('incidents'),
      info: e.all('info').map((n, i) => this.info(n, `alert.info[${i}]`)),
    });
  }

  info(node: unknown, path: string): CapInfo {
    const e = this.element(node, path, INFO_ELEMENTS);
    const language = e.optional('language') ?? 'en-US';
    if (!LANGUAGE.test(language)) {
      throw new CapParseError(
        `${path}.language`,
        `"${language}" is not a language tag such as zh-CN or en-US`,
      );
    }
    const category = e
      .texts('category')
      .map((c, i) => checkEnum(c, CAP_CATEGORIES, `${path}.category[${i}]`));
    if (category.length === 0) throw new CapParseError(`${path}.category`, '<category> is required');
    const event = e.required('event');
    return withOptional({
      language,
      category,
      event,
      responseType: e
        .texts('responseType')
        .map((r, i) => checkEnum(r, CAP_RESPONSE_TYPES, `${path}.responseType[${i}]`)),
      urgency: e.oneOf('urgency', CAP_URGENCIES),
      severity: e.oneOf('severity', CAP_SEVERITIES),
      certainty: e.oneOf('certainty', CAP_CERTAINTIES),
      audience: e.optional('audience'),
      eventCode: this.pairs(e, 'eventCode'),
      effective: e.dateTime('effective'),
      onset: e.dateTime('onset'),
      expires: e.dateTime('expires'),
      senderName: e.optional('senderName'),
      headline: e.optional('headline'),
      description: e.optional('description'),
      instruction: e.optional('instruction'),
      web: e.optional('web'),
      contact: e.optional('contact'),
      parameter: this.pairs(e, 'parameter'),
      resource: e.all('resource').map((n, i) => this.resource(n, `${path}.resource[${i}]`)),
      area: e.all('area').map((n, i) => this.area(n, `${path}.area[${i}]`)),
    });
  }

  resource(node: unknown, path: string): CapResource {
    const e = this.element(node, path, RESOURCE_ELEMENTS);
    return withOptional({
      resourceDesc: e.required('resourceDesc'),
      mimeType: e.required('mimeType'),
      size: e.decimal('size', true),
      uri: e.optional('uri'),
      derefUri: e.optional('derefUri'),
      digest: e.optional('digest'),
    });
  }

  area(node: unknown, path: string): CapArea {
    const e = this.element(node, path, AREA_ELEMENTS);
    return withOptional({
      areaDesc: e.required('areaDesc'),
      polygon: e.texts('polygon'),
      circle: e.texts('circle'),
      geocode: this.pairs(e, 'geocode'),
      altitude: e.decimal('altitude'),
      ceiling: e.decimal('ceiling'),
    });
  }
}

/**
 * Refuses what must never reach an XML parser: inputs over the size limit and any DOCTYPE / ENTITY declaration.
 * Also used before schema validation.
 */
export function assertSafeXmlInput(xml: string | Buffer, options: CapParseOptions = {}): string {
  const maxBytes = options.maxBytes ?? CAP_DEFAULT_MAX_BYTES;
  const bytes = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.length;
  if (bytes > maxBytes) {
    throw new CapParseError('document', `the document is ${bytes} bytes; at most ${maxBytes} are accepted`);
  }
  const text = typeof xml === 'string' ? xml : xml.toString('utf8');
  if (DECLARATION.test(text)) {
    throw new CapParseError(
      'document',
      'DOCTYPE and ENTITY declarations are not accepted in CAP input (no entity is expanded or fetched)',
    );
  }
  return text;
}

/** Parses a CAP 1.2 alert (default or prefixed namespace, e.g. `<cap:alert xmlns:cap=…>`), or throws CapParseError. */
export function parseCapXml(xml: string | Buffer, options: CapParseOptions = {}): CapAlert {
  const text = assertSafeXmlInput(xml, options).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new CapParseError('document', 'the document is empty, not XML');
  const wellFormed = XMLValidator.validate(text);
  if (wellFormed !== true) {
    const { msg, line, col } = wellFormed.err;
    throw new CapParseError('document', `not well-formed XML: ${msg} (line ${line}, column ${col})`);
  }
  let parsed: XmlNode;
  try {
    parsed = xmlParser.parse(text) as XmlNode;
  } catch (error) {
    throw new CapParseError('document', `refused by the XML reader: ${(error as Error).message}`);
  }
  const roots = Object.keys(parsed).filter((k) => !k.startsWith('?') && !k.startsWith(ATTR) && k !== TEXT);
  if (roots.length !== 1) throw new CapParseError('document', 'not XML: no single root element');
  const rootName = roots[0];
  const colon = rootName.indexOf(':');
  const prefix = colon < 0 ? '' : rootName.slice(0, colon);
  const local = rootName.slice(colon + 1);
  if (local !== 'alert') {
    throw new CapParseError('alert', `the root element is <${rootName}>, not a CAP 1.2 <alert>`);
  }
  const root = parsed[rootName];
  const attrs = root !== null && typeof root === 'object' ? (root as XmlNode) : {};
  const namespace = attrs[prefix ? `${ATTR}xmlns:${prefix}` : `${ATTR}xmlns`];
  if (namespace !== CAP_NAMESPACE) {
    throw new CapParseError(
      'alert',
      `wrong namespace: <${rootName}> is in ${typeof namespace === 'string' ? `"${namespace}"` : 'no namespace'}; CAP 1.2 alerts are in "${CAP_NAMESPACE}"`,
    );
  }
  return new CapReader(prefix).alert(root);
}
