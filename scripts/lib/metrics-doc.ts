// The metric list in docs/operations.md, made from the registries the
// daemon and the exporter serve: the list an operator reads is what
// Prometheus scrapes. A unit test fails when the checked-in list differs;
// `npm run gen:docs` rewrites it.
import type { MetricInfo } from '@kextbridge/protocol';
import { daemonMetricList } from 'kextbridged/internal/server/metrics';
import { exportMetricList } from 'kextbridge-export/internal/metrics';

export const BEGIN = '<!-- metric list: generated from the daemon\'s and the exporter\'s registries by `npm run gen:docs`; a unit test fails when it is stale -->';
export const END = '<!-- end of metric list -->';

// Process metrics (prom-client's defaults) are one row: their names are
// prom-client's and its documentation's.
const isDefault = (m: MetricInfo): boolean => m.name.startsWith('process_') || m.name.startsWith('nodejs_');

function rows(list: MetricInfo[]): string[] {
  const own = list.filter((m) => !isDefault(m));
  const defaults = list.filter(isDefault).map((m) => `\`${m.name}\``);
  return [
    ...own.map((m) => `| \`${m.name}\` | ${m.type} | ${m.labels.map((l) => `\`${l}\``).join(', ')} | ${m.help.replace(/\|/g, '\\|')} |`),
    `| process and Node.js metrics | | | prom-client's defaults: ${defaults.join(', ')} |`,
  ];
}

export function metricsList(): string {
  return [
    BEGIN,
    '',
    '### kextbridged',
    '',
    '| metric | type | labels | meaning |',
    '|---|---|---|---|',
    ...rows(daemonMetricList()),
    '',
    '### kextbridge-export',
    '',
    '| metric | type | labels | meaning |',
    '|---|---|---|---|',
    ...rows(exportMetricList()),
    '',
    END,
  ].join('\n');
}

// The document with its list replaced by the generated one.
export function withMetricsList(doc: string): string {
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`the document has no block between ${BEGIN} and ${END}`);
  return doc.slice(0, from) + metricsList() + doc.slice(to + END.length);
}
