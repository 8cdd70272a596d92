// Writes a CAP 1.2 alert as XML (element order of the OASIS XSD, escaped text, no DOCTYPE) and as JSON.
import {
  CAP_NAMESPACE,
  CapAlert,
  CapArea,
  CapInfo,
  CapResource,
  CapValuePair,
  isCapDateTime,
} from './cap.model';

/** A model the writer refuses to turn into CAP (a date-time without a numeric offset, a control character). */
export class CapWriteError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'CapWriteError';
  }
}

// XML 1.0 forbids these characters even escaped.
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function escapeText(value: string, field: string): string {
  if (FORBIDDEN_CHARS.test(value))
    throw new CapWriteError(field, 'contains a character XML 1.0 does not allow');
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

class XmlOut {
  readonly lines: string[] = [];
  constructor(private depth = 0) {}

  open(name: string, attrs = ''): void {
    this.lines.push(`${'  '.repeat(this.depth)}<${name}${attrs}>`);
    this.depth += 1;
  }

  close(name: string): void {
    this.depth -= 1;
    this.lines.push(`${'  '.repeat(this.depth)}</${name}>`);
  }

  text(name: string, value: string | number | undefined, field: string): void {
    if (value === undefined) return;
    this.lines.push(
      `${'  '.repeat(this.depth)}<${name}>${escapeText(String(value), `${field}.${name}`)}</${name}>`,
    );
  }

  dateTime(name: string, value: string | undefined, field: string): void {
    if (value === undefined) return;
    if (!isCapDateTime(value)) {
      throw new CapWriteError(
        `${field}.${name}`,
        `"${value}" is not a CAP date-time (YYYY-MM-DDThh:mm:ss+08:00)`,
      );
    }
    this.text(name, value, field);
  }

  pairs(name: string, values: CapValuePair[], field: string): void {
    values.forEach((pair, i) => {
      this.open(name);
      this.text('valueName', pair.valueName, `${field}.${name}[${i}]`);
      this.text('value', pair.value, `${field}.${name}[${i}]`);
      this.close(name);
    });
  }
}

function writeResource(out: XmlOut, resource: CapResource, field: string): void {
  out.open('resource');
  out.text('resourceDesc', resource.resourceDesc, field);
  out.text('mimeType', resource.mimeType, field);
  out.text('size', resource.size, field);
  out.text('uri', resource.uri, field);
  out.text('derefUri', resource.derefUri, field);
  out.text('digest', resource.digest, field);
  out.close('resource');
}

function writeArea(out: XmlOut, area: CapArea, field: string): void {
  out.open('area');
  out.text('areaDesc', area.areaDesc, field);
  area.polygon.forEach((p, i) => out.text('polygon', p, `${field}[${i}]`));
  area.circle.forEach((c, i) => out.text('circle', c, `${field}[${i}]`));
  out.pairs('geocode', area.geocode, field);
  out.text('altitude', area.altitude, field);
  out.text('ceiling', area.ceiling, field);
  out.close('area');
}

function writeInfo(out: XmlOut, info: CapInfo, field: string): void {
  out.open('info');
  out.text('language', info.language, field);
  info.category.forEach((c) => out.text('category', c, field));
  out.text('event', info.event, field);
  info.responseType.forEach((r) => out.text('responseType', r, field));
  out.text('urgency', info.urgency, field);
  out.text('severity', info.severity, field);
  out.text('certainty', info.certainty, field);
  out.text('audience', info.audience, field);
  out.pairs('eventCode', info.eventCode, field);
  out.dateTime('effective', info.effective, field);
  out.dateTime('onset', info.onset, field);
  out.dateTime('expires', info.expires, field);
  out.text('senderName', info.senderName, field);
  out.text('headline', info.headline, field);
  out.text('description', info.description, field);
  out.text('instruction', info.instruction, field);
  out.text('web', info.web, field);
  out.text('contact', info.contact, field);
  out.pairs('parameter', info.parameter, field);
  info.resource.forEach((r, i) => writeResource(out, r, `${field}.resource[${i}]`));
  info.area.forEach((a, i) => writeArea(out, a, `${field}.area[${i}]`));
  out.close('info');
}

/** The alert as a CAP 1.2 XML document (UTF-8, default namespace, elements in the XSD's order). */
export function writeCapXml(alert: CapAlert): string {
  const out = new XmlOut();
  const f = 'alert';
  out.open('alert', ` xmlns="${CAP_NAMESPACE}"`);
  out.text('identifier', alert.identifier, f);
  out.text('sender', alert.sender, f);
  out.dateTime('sent', alert.sent, f);
  out.text('status', alert.status, f);
  out.text('msgType', alert.msgType, f);
  out.text('source', alert.source, f);
  out.text('scope', alert.scope, f);
  out.text('restriction', alert.restriction, f);
  out.text('addresses', alert.addresses, f);
  alert.code.forEach((c) => out.text('code', c, f));
  out.text('note', alert.note, f);
  out.text('references', alert.references, f);
  out.text('incidents', alert.incidents, f);
  alert.info.forEach((info, i) => writeInfo(out, info, `alert.info[${i}]`));
  out.close('alert');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${out.lines.join('\n')}\n`;
}

/**
 * The alert as CAP JSON: the model itself, optional fields left out when absent, date-times as the same strings
 * the XML carries. Checked like the XML (offsets, no forbidden characters), so both forms say the same.
 */
export function writeCapJson(alert: CapAlert): CapAlert {
  writeCapXml(alert);
  return JSON.parse(JSON.stringify(alert)) as CapAlert;
}
