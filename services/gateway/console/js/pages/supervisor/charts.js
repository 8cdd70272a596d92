// The dashboard's charts: Chart.js (served by the gateway at /vendor/chart.umd.js, loaded on the first chart, global
// `Chart`). A chart is a picture of a table shown beside it, so a chart that cannot load leaves the numbers readable.
import { h, loadScript } from '../../core/dom.js';

const CHART_SRC = '/vendor/chart.umd.js';
/** Colours with ≥ 3:1 contrast against white (WCAG non-text contrast), told apart also by the legend's order. */
const SERIES_COLOURS = ['#0b5cad', '#b3541e', '#17613a', '#7a3fa0', '#a4161a', '#4a5560'];

let chartLibrary = null;

/** Chart.js, loaded once; rejects when the file cannot be loaded. */
export function chartJs() {
  chartLibrary ??= loadScript(CHART_SRC).then(() => {
    const { Chart } = window;
    if (!Chart) throw new Error('Chart.js did not define Chart');
    Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    Chart.defaults.color = '#1b1f24';
    // The page announces what changed; charts need not animate on a modest office PC.
    Chart.defaults.animation = false;
    return Chart;
  });
  chartLibrary.catch(() => {
    chartLibrary = null;
  });
  return chartLibrary;
}

/** A sized box with a canvas described for screen readers (the table beside it has the numbers). */
export function chartBox(label, className = 'chart-box') {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  return { element: h('div', { class: className }, canvas), canvas };
}

function axisFormat(format) {
  return { ticks: { callback: (value) => format(value) } };
}

/**
 * A line chart: `series` = [{ label, values: (number|null)[] }] over `labels`; gaps where a value is null.
 * Returns the Chart (call destroy() when the screen goes).
 */
export async function lineChart(canvas, { labels, series, format, percent }) {
  const Chart = await chartJs();
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.values,
        borderColor: SERIES_COLOURS[i % SERIES_COLOURS.length],
        backgroundColor: SERIES_COLOURS[i % SERIES_COLOURS.length],
        spanGaps: false,
        tension: 0,
        pointRadius: 3,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: series.length > 1, position: 'bottom' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format(item.parsed.y)}` } },
      },
      scales: {
        y: { beginAtZero: true, ...(percent ? { suggestedMax: 1 } : {}), ...axisFormat(format) },
      },
    },
  });
}

/** A horizontal bar chart: one bar per label (null values drawn as no bar). */
export async function barChart(canvas, { labels, values, label, format, percent }) {
  const Chart = await chartJs();
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [{ label, data: values, backgroundColor: SERIES_COLOURS[0] }],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => format(item.parsed.x) } },
      },
      scales: { x: { beginAtZero: true, ...(percent ? { suggestedMax: 1 } : {}), ...axisFormat(format) } },
    },
  });
}
