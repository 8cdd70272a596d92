// A table (title, columns, rows) as a file people open in a spreadsheet: CSV (RFC 4180, UTF-8 with a byte-order
// mark, without which Excel reads Chinese as mojibake) or XLSX (exceljs). Cells that a spreadsheet would run as a
// formula (=, +, -, @, tab, CR first) are written as text (OWASP CSV injection).
import ExcelJS from 'exceljs';

export interface TableColumn {
  key: string;
  label: string;
}

export interface Table {
  title: string;
  columns: readonly TableColumn[];
  rows: readonly Record<string, unknown>[];
}

export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8';
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
/** Excel's limit on a sheet's name, and the characters it refuses in one. */
const SHEET_NAME_MAX = 31;
const SHEET_NAME_FORBIDDEN = /[[\]:*?/\\]/g;

/** A cell as it is written: numbers and booleans as they are, dates as ISO instants, anything else as text. */
export function cellValue(value: unknown): string | number | boolean {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function csvField(value: string | number | boolean): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV text: BOM, a heading line, one line per row, CRLF line ends (RFC 4180). */
export function toCsv(table: Table): string {
  const lines = [table.columns.map((column) => csvField(cellValue(column.label)))];
  for (const row of table.rows) {
    lines.push(table.columns.map((column) => csvField(cellValue(row[column.key]))));
  }
  return BOM + lines.map((fields) => fields.join(',')).join('\r\n') + '\r\n';
}

export function sheetName(title: string): string {
  const name = title.replace(SHEET_NAME_FORBIDDEN, ' ').trim().slice(0, SHEET_NAME_MAX);
  return name === '' ? 'Sheet1' : name;
}

/** The table as an XLSX workbook of one sheet: a bold, frozen heading row, then the rows. */
export async function toXlsx(table: Table): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Linli insights';
  const sheet = workbook.addWorksheet(sheetName(table.title), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((column) => ({
    header: String(cellValue(column.label)),
    key: column.key,
    width: Math.min(60, Math.max(10, column.label.length * 2 + 2)),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    // A missing value is an empty cell, not an empty text.
    sheet.addRow(
      table.columns.map((column) => (row[column.key] == null ? null : cellValue(row[column.key]))),
    );
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** `attachment` with an ASCII fallback name and the real (Chinese) one in RFC 5987 form. */
export function contentDisposition(title: string, extension: string): string {
  const base = title.replace(/[\\/:*?"<>|\r\n]+/g, ' ').trim() || 'export';
  const ascii = base.replace(/[^\x20-\x7e]+/g, '_').replace(/"/g, '') || 'export';
  return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${encodeURIComponent(`${base}.${extension}`)}`;
}

export interface TableFile {
  body: Buffer;
  type: string;
  disposition: string;
}

export async function tableFile(table: Table, format: 'csv' | 'xlsx'): Promise<TableFile> {
  return format === 'csv'
    ? {
        body: Buffer.from(toCsv(table), 'utf8'),
        type: CSV_MEDIA_TYPE,
        disposition: contentDisposition(table.title, 'csv'),
      }
    : {
        body: await toXlsx(table),
        type: XLSX_MEDIA_TYPE,
        disposition: contentDisposition(table.title, 'xlsx'),
      };
}
