import ExcelJS from 'exceljs';
import { cellValue, contentDisposition, sheetName, toCsv, toXlsx } from './table-file';

const table = {
  title: '工单 tickets',
  columns: [
    { key: 'name', label: '名称' },
    { key: 'value', label: 'value, %' },
  ],
  rows: [
    { name: '仙霞路社区', value: 0.5 },
    { name: 'say "hi"\nthere', value: null },
    { name: '=1+2', value: -3 },
  ],
};

describe('table files', () => {
  it('writes CSV with a BOM, quoted fields where RFC 4180 needs them, CRLF lines', () => {
    expect(toCsv(table)).toBe(
      '\uFEFF名称,"value, %"\r\n仙霞路社区,0.5\r\n"say ""hi""\nthere",\r\n\'=1+2,-3\r\n',
    );
  });

  it('writes text that a spreadsheet would run as a formula as text, numbers as numbers', () => {
    expect(['=SUM(A1)', '+1', '-x', '@cmd', '\tx', 'ok', -2, true, undefined].map(cellValue)).toEqual([
      "'=SUM(A1)",
      "'+1",
      "'-x",
      "'@cmd",
      "'\tx",
      'ok',
      -2,
      true,
      '',
    ]);
    expect(cellValue({ a: 1 })).toBe('{"a":1}');
    expect(cellValue(new Date('2026-03-01T00:00:00.000Z'))).toBe('2026-03-01T00:00:00.000Z');
    expect(cellValue(Number.NaN)).toBe('');
  });

  it('names the attachment in ASCII and, in full, in RFC 5987 form', () => {
    expect(contentDisposition('工单 tickets', 'csv')).toBe(
      `attachment; filename="_ tickets.csv"; filename*=UTF-8''${encodeURIComponent('工单 tickets.csv')}`,
    );
    expect(contentDisposition('a/b"c', 'xlsx')).toMatch(/^attachment; filename="a b c\.xlsx"/);
  });

  it('gives a sheet a name Excel accepts', () => {
    expect(sheetName('a[b]:c*?/d\\e')).toBe('a b  c   d e');
    expect(sheetName('x'.repeat(40))).toHaveLength(31);
    expect(sheetName('')).toBe('Sheet1');
  });

  it('writes an XLSX workbook exceljs reads back', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx(table)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe('工单 tickets');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['名称', 'value, %']);
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(['仙霞路社区', 0.5]);
    expect(sheet.rowCount).toBe(4);
  });
});
