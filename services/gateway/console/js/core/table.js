// A data table with a caption and CSV / XLSX export of exactly what it shows. CSV is made in the browser (with a
// byte-order mark so Excel reads Chinese); XLSX by insights' POST /exports, which builds the workbook.
import { apiFile, downloadBlob } from './api.js';
import { announce, h, problemText } from './dom.js';
import { t } from './i18n.js';

function cellText(column, row) {
  const value = row[column.key];
  if (column.format) {
    const formatted = column.format(value, row);
    return formatted instanceof Node ? formatted : String(formatted ?? '');
  }
  return value === undefined || value === null ? '' : String(value);
}

/** Plain text of a cell for export (a formatted node's text). */
function exportText(column, row) {
  if (column.exportValue) return column.exportValue(row[column.key], row);
  const cell = cellText(column, row);
  return cell instanceof Node ? cell.textContent : cell;
}

/** RFC 4180 CSV: fields quoted when they hold a comma, quote or line break; formulas defused (CSV injection). */
export function toCsv(columns, rows) {
  const quote = (text) => {
    let value = String(text ?? '');
    if (/^[=+\-@\t\r]/.test(value)) value = `'${value}`;
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  };
  const lines = [columns.map((column) => quote(column.label)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => quote(exportText(column, row))).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/**
 * `dataTable({ caption, columns: [{ key, label, format?(value, row), exportValue?(value, row) }], rows,
 * exportName, onRowActivate?(row), rowAttributes?(row), empty? })`: a table (rows activate with a click or Enter
 * when onRowActivate is given) with export buttons when exportName is given.
 */
export function dataTable({ caption, columns, rows, exportName, onRowActivate, rowAttributes, empty }) {
  const body = h(
    'tbody',
    null,
    rows.map((row) => {
      const attrs = rowAttributes ? rowAttributes(row) : {};
      const tr = h(
        'tr',
        onRowActivate
          ? {
              ...attrs,
              tabindex: '0',
              class: 'activatable',
              onclick: (event) => {
                if (event.target.closest('a, button, input, select, textarea')) return;
                onRowActivate(row);
              },
              onkeydown: (event) => {
                if (event.key === 'Enter' && event.target === event.currentTarget) onRowActivate(row);
              },
            }
          : attrs,
        columns.map((column) => h('td', null, cellText(column, row))),
      );
      return tr;
    }),
  );
  const table = h(
    'table',
    { class: 'data' },
    caption ? h('caption', null, caption) : null,
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        columns.map((column) => h('th', { scope: 'col' }, column.label)),
      ),
    ),
    body,
  );
  const parts = [h('div', { class: 'table-scroll' }, table)];
  if (rows.length === 0) parts.push(h('p', { class: 'empty' }, empty || t('common.noRows')));
  if (exportName)
    parts.unshift(exportButtons({ columns, rows, name: exportName, title: caption || exportName }));
  return h('div', { class: 'table-block' }, parts);
}

/** The CSV and XLSX buttons for any rows (also used by charts' tables). */
export function exportButtons({ columns, rows, name, title }) {
  const csv = () => {
    downloadBlob(new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }), `${name}.csv`);
    announce(t('common.exported', { name: `${name}.csv` }));
  };
  const xlsx = async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const plain = rows.map((row) =>
        Object.fromEntries(columns.map((column) => [column.key, exportText(column, row)])),
      );
      const { blob } = await apiFile('insights', '/exports', {
        method: 'POST',
        query: { format: 'xlsx' },
        body: {
          title: String(title).slice(0, 100),
          columns: columns.map(({ key, label }) => ({ key, label })),
          rows: plain,
        },
      });
      downloadBlob(blob, `${name}.xlsx`);
      announce(t('common.exported', { name: `${name}.xlsx` }));
    } catch (error) {
      announce(problemText(error), { error: true });
    } finally {
      button.disabled = false;
    }
  };
  return h(
    'div',
    { class: 'export', role: 'group', 'aria-label': t('common.export') },
    h(
      'button',
      { type: 'button', class: 'secondary', onclick: csv, 'data-export': 'csv' },
      t('common.exportCsv'),
    ),
    h(
      'button',
      { type: 'button', class: 'secondary', onclick: xlsx, 'data-export': 'xlsx' },
      t('common.exportXlsx'),
    ),
  );
}
