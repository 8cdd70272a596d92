// A community's elder list as CSV (社区老人名册): which columns it has (English or Chinese headers) and how a row's
// text becomes the body of a registration, which is then validated exactly as POST /elders is. Pure.

/** The registration fields a column fills, in the order of the API. */
export const IMPORT_COLUMNS = {
  name: ['name', '姓名'],
  gender: ['gender', '性别'],
  birthDate: ['birthDate', '出生日期'],
  identityNumber: ['identityNumber', '身份证号'],
  phone: ['phone', '电话'],
  community: ['community', '社区代码'],
  address: ['address', '地址'],
  livingSituation: ['livingSituation', '居住状况'],
  careLevel: ['careLevel', '照护等级'],
  hardship: ['hardship', '困难类型'],
  emergencyContactName: ['emergencyContactName', '紧急联系人'],
  emergencyContactRelation: ['emergencyContactRelation', '联系人关系'],
  emergencyContactPhone: ['emergencyContactPhone', '联系人电话'],
  consent: ['consent', '同意服务'],
  lat: ['lat'],
  lng: ['lng'],
} as const;
export type ImportColumn = keyof typeof IMPORT_COLUMNS;

export const REQUIRED_IMPORT_COLUMNS: readonly ImportColumn[] = [
  'name',
  'gender',
  'birthDate',
  'identityNumber',
  'phone',
  'community',
  'address',
  'livingSituation',
  'careLevel',
  'consent',
];

const HEADER_TO_COLUMN = new Map<string, ImportColumn>(
  Object.entries(IMPORT_COLUMNS).flatMap(([column, names]) =>
    names.map((name) => [name.toLowerCase(), column as ImportColumn] as const),
  ),
);

const GENDER_WORDS: Record<string, string> = { 男: 'male', 女: 'female' };
const LIVING_WORDS: Record<string, string> = { 独居: 'alone', 空巢: 'empty-nest', 与家人同住: 'with-family' };
const CARE_WORDS: Record<string, string> = {
  自理: 'self-care',
  半失能: 'partly-dependent',
  失能: 'fully-dependent',
};
const HARDSHIP_WORDS: Record<string, string> = {
  低保: 'low-income',
  残疾: 'disabled',
  精神障碍: 'mental-disorder',
  特困: 'special-hardship',
};
const CONSENT_WORDS: Record<string, boolean> = {
  yes: true,
  true: true,
  是: true,
  no: false,
  false: false,
  否: false,
};

export type HeaderResult =
  { ok: true; columns: (ImportColumn | undefined)[] } | { ok: false; field: string; message: string };

/** The column each header cell names; a missing required column or an unknown or repeated one is refused. */
export function readHeader(header: readonly string[]): HeaderResult {
  const columns: (ImportColumn | undefined)[] = [];
  const seen = new Set<ImportColumn>();
  for (const cell of header) {
    const name = cell.trim();
    if (name === '') {
      columns.push(undefined);
      continue;
    }
    const column = HEADER_TO_COLUMN.get(name.toLowerCase());
    if (!column) return { ok: false, field: name, message: `unknown column ${name}` };
    if (seen.has(column)) return { ok: false, field: column, message: `column ${column} appears twice` };
    seen.add(column);
    columns.push(column);
  }
  const missing = REQUIRED_IMPORT_COLUMNS.find((column) => !seen.has(column));
  if (missing) {
    return {
      ok: false,
      field: missing,
      message: `missing column ${missing} (${IMPORT_COLUMNS[missing][1]})`,
    };
  }
  return { ok: true, columns };
}

/**
 * A row's cells as the body of a registration. Words the list may use (男, 独居, 低保, 是…) become the API's
 * values; a value that is none of them is passed on as written, so the registration's validation names the field.
 * Empty cells are absent.
 */
export function rowToRegistration(
  columns: readonly (ImportColumn | undefined)[],
  cells: readonly string[],
): Record<string, unknown> {
  const text: Partial<Record<ImportColumn, string>> = {};
  columns.forEach((column, index) => {
    const value = (cells[index] ?? '').trim();
    if (column && value !== '') text[column] = value;
  });
  const body: Record<string, unknown> = {};
  for (const column of ['name', 'birthDate', 'identityNumber', 'phone', 'community', 'address'] as const) {
    if (text[column] !== undefined) body[column] = text[column];
  }
  if (text.gender !== undefined) body.gender = word(GENDER_WORDS, text.gender);
  if (text.livingSituation !== undefined) body.livingSituation = word(LIVING_WORDS, text.livingSituation);
  if (text.careLevel !== undefined) body.careLevel = word(CARE_WORDS, text.careLevel);
  body.hardship =
    text.hardship === undefined
      ? []
      : text.hardship
          .split(/[;；]/)
          .map((flag) => flag.trim())
          .filter((flag) => flag !== '')
          .map((flag) => word(HARDSHIP_WORDS, flag));
  if (text.consent !== undefined) {
    const consent = CONSENT_WORDS[text.consent.toLowerCase()];
    body.consentToServices = consent ?? text.consent;
  }
  const contact = {
    name: text.emergencyContactName,
    relation: text.emergencyContactRelation,
    phone: text.emergencyContactPhone,
  };
  body.emergencyContacts =
    contact.name === undefined && contact.relation === undefined && contact.phone === undefined
      ? []
      : [contact];
  if (text.lat !== undefined || text.lng !== undefined)
    body.home = { lat: number(text.lat), lng: number(text.lng) };
  return body;
}

function word(words: Record<string, string>, value: string): string {
  return words[value] ?? words[value.toLowerCase()] ?? value.toLowerCase();
}

/** A number for a numeric cell; text that is not one is kept so the validation names the field. */
function number(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return value.trim() !== '' && Number.isFinite(parsed) ? parsed : value;
}

const FIELD_TO_COLUMN: Record<string, ImportColumn> = {
  consentToServices: 'consent',
  'emergencyContacts.0.name': 'emergencyContactName',
  'emergencyContacts.0.relation': 'emergencyContactRelation',
  'emergencyContacts.0.phone': 'emergencyContactPhone',
  'home.lat': 'lat',
  'home.lng': 'lng',
};

/** The column a registration field at fault came from, so the report names what the list calls it. */
export function columnOfField(field: string): string {
  return FIELD_TO_COLUMN[field] ?? (field.startsWith('hardship') ? 'hardship' : field);
}
