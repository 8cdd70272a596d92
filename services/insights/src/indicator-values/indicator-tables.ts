// The indicators' answers as tables (title, columns, rows) for their CSV and XLSX files: the same numbers as the
// JSON, headed in Chinese and English.
import type { Table } from '../exports/table-file';
import { indicatorByCode, type IndicatorDefinition } from '../indicators/definitions';

interface Measured {
  value: number | null;
  numerator?: number;
  denominator?: number;
  breakdown?: Record<string, number | null>;
}

const MEASURE_COLUMNS = [
  { key: 'value', label: '值 / value' },
  { key: 'numerator', label: '分子 / numerator' },
  { key: 'denominator', label: '分母 / denominator' },
];

function nameOf(code: string): string {
  const definition = indicatorByCode(code);
  return definition ? `${definition.name.zh} / ${definition.name.en}` : code;
}

/** `community=0.5; volunteer=0.25` for a breakdown cell. */
function breakdownText(breakdown: Record<string, number | null> | undefined): string {
  if (!breakdown) return '';
  return Object.entries(breakdown)
    .map(([key, value]) => `${key}=${value ?? ''}`)
    .join('; ');
}

export function definitionsTable(body: {
  items: Pick<IndicatorDefinition, 'code' | 'name' | 'formula' | 'unit' | 'sourceEvents'>[];
}): Table {
  return {
    title: '指标定义 indicators',
    columns: [
      { key: 'code', label: '代码 / code' },
      { key: 'nameZh', label: '名称' },
      { key: 'nameEn', label: 'name' },
      { key: 'unit', label: '单位 / unit' },
      { key: 'formulaZh', label: '公式' },
      { key: 'formulaEn', label: 'formula' },
      { key: 'sourceEvents', label: '来源事件 / source events' },
    ],
    rows: body.items.map((item) => ({
      code: item.code,
      nameZh: item.name.zh,
      nameEn: item.name.en,
      unit: item.unit,
      formulaZh: item.formula.zh,
      formulaEn: item.formula.en,
      sourceEvents: item.sourceEvents.join(' '),
    })),
  };
}

export function valuesTable(body: {
  node: string;
  period: { kind: string; start: string; end: string };
  items: ({ code: string } & Measured)[];
}): Table {
  return {
    title: `指标 indicators ${body.node} ${body.period.kind} ${body.period.start.slice(0, 10)}`,
    columns: [
      { key: 'code', label: '代码 / code' },
      { key: 'name', label: '指标 / indicator' },
      ...MEASURE_COLUMNS,
      { key: 'breakdown', label: '构成 / breakdown' },
    ],
    rows: body.items.map((item) => ({
      code: item.code,
      name: nameOf(item.code),
      value: item.value,
      numerator: item.numerator,
      denominator: item.denominator,
      breakdown: breakdownText(item.breakdown),
    })),
  };
}

export function trendTable(body: {
  code: string;
  node: string;
  items: ({ start: string; end: string } & Measured)[];
}): Table {
  return {
    title: `趋势 trend ${body.code} ${body.node}`,
    columns: [
      { key: 'start', label: '开始 / start' },
      { key: 'end', label: '结束 / end' },
      ...MEASURE_COLUMNS,
      { key: 'breakdown', label: '构成 / breakdown' },
    ],
    rows: body.items.map((item) => ({ ...item, breakdown: breakdownText(item.breakdown) })),
  };
}

export function breakdownTable(body: {
  code: string;
  node: string;
  items: ({ node: string; name: string } & Measured)[];
}): Table {
  return {
    title: `分区 breakdown ${body.code} ${body.node}`,
    columns: [
      { key: 'node', label: '区划代码 / division' },
      { key: 'name', label: '名称 / name' },
      ...MEASURE_COLUMNS,
      { key: 'breakdown', label: '构成 / breakdown' },
    ],
    rows: body.items.map((item) => ({ ...item, breakdown: breakdownText(item.breakdown) })),
  };
}
