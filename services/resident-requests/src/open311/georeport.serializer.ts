// Writes GeoReport v2 documents as the specification's XML (schemaless, no namespace, UTF-8 declaration) or as
// JSON by the Spark convention the specification names: a list element becomes an array of its items, a root
// list (services, service_requests, errors) a bare array.
import { XMLBuilder } from 'fast-xml-parser';
import type { Open311Format } from './format';

export type Open311Value =
  string | number | boolean | null | undefined | readonly Open311Value[] | Open311Object;
export interface Open311Object {
  readonly [key: string]: Open311Value;
}

/** The element that wraps each item of a list, per the specification's examples. */
export const LIST_ITEM_ELEMENTS = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
} as const;
type ListElement = keyof typeof LIST_ITEM_ELEMENTS;

export type Open311Document =
  | { root: 'services' | 'service_requests' | 'errors'; items: readonly Open311Object[] }
  | { root: 'service_definition' | 'discovery'; body: Open311Object };

const builder = new XMLBuilder({ format: true, ignoreAttributes: false, suppressEmptyNode: false });
const XML_DECLARATION = { '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' } };

/** Characters XML 1.0 cannot carry even escaped; a description typed on a phone can hold them. */
const NOT_XML_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function serialize(document: Open311Document, format: Open311Format): string {
  if (format === 'json') {
    return JSON.stringify('items' in document ? document.items : document.body);
  }
  const content =
    'items' in document
      ? { [LIST_ITEM_ELEMENTS[document.root]]: document.items.map(toXmlObject) }
      : toXmlObject(document.body);
  return builder.build({ ...XML_DECLARATION, [document.root]: content }) as string;
}

function toXmlObject(object: Open311Object): Record<string, unknown> {
  const element: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    element[key] = Array.isArray(value) ? toXmlList(key, value) : toXmlValue(value as Open311Value);
  }
  return element;
}

function toXmlList(key: string, items: readonly Open311Value[]): Record<string, unknown> {
  const itemElement = LIST_ITEM_ELEMENTS[key as ListElement];
  // A programming error, not input: every list a document carries has its item element named above.
  if (!itemElement) throw new Error(`GeoReport list "${key}" has no item element`);
  return { [itemElement]: items.map(toXmlValue) };
}

function toXmlValue(value: Open311Value): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.replace(NOT_XML_CHARACTERS, '');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    throw new Error('GeoReport lists are properties of an element, never nested directly');
  return toXmlObject(value as Open311Object);
}
