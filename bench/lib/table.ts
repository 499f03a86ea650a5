// The one table a run prints: per row the median over rounds with min-max,
// and where a row has a baseline, the ratio to it (median of per-round
// ratios with min-max) and the goal it is held to.
import { spread, type Spread } from './stats';

export interface Goal {
  // 'ratio': held against the ratio column; 'value': against the median.
  on: 'ratio' | 'value';
  op: '<=' | '>=';
  limit: number;
}

export interface Row {
  name: string;
  unit: string;
  // One figure per round.
  samples: number[];
  // Per-round subject/baseline ratios, and what the baseline was.
  ratio?: { samples: number[]; to: string };
  goal?: Goal;
  // Why a row is what it is (e.g. how the load was generated).
  note?: string;
}

export interface Section {
  title: string;
  rows: Row[];
}

// Three significant figures, thousands grouped: 1,234,000 / 56.7 / 0.123.
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(Number(x.toPrecision(3))).toLocaleString('en-US');
  if (abs === 0) return '0';
  return Number(x.toPrecision(3)).toString();
}

function formatSpread(s: Spread, unit: string): string {
  const u = unit === '×' ? '×' : unit ? ` ${unit}` : '';
  return `${formatNumber(s.median)}${u} (${formatNumber(s.min)}–${formatNumber(s.max)})`;
}

function verdict(goal: Goal, s: Spread): string {
  const ok = goal.op === '<=' ? s.median <= goal.limit : s.median >= goal.limit;
  const target = `${goal.op === '<=' ? '≤' : '≥'} ${formatNumber(goal.limit)}${goal.on === 'ratio' ? '×' : ''}`;
  if (!Number.isFinite(s.median)) return `goal ${target}: no data`;
  return `goal ${target}: ${ok ? 'met' : 'MISSED'}`;
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
}

export function renderTable(sections: readonly Section[]): string {
  const header = ['benchmark', 'median (min–max)', 'ratio (min–max)', 'goal'];
  const lines: string[][] = [];
  const notes: string[] = [];
  for (const section of sections) {
    lines.push([`[${section.title}]`, '', '', '']);
    for (const row of section.rows) {
      const value = spread(row.samples);
      const ratio = row.ratio ? spread(row.ratio.samples) : null;
      const ratioText = ratio ? `${formatSpread(ratio, '×')} vs ${row.ratio!.to}` : '';
      const goal = row.goal ? verdict(row.goal, row.goal.on === 'ratio' && ratio ? ratio : value) : '';
      lines.push([`  ${row.name}`, formatSpread(value, row.unit), ratioText, goal]);
      if (row.note) notes.push(`  ${row.name}: ${row.note}`);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const out = [pad(header, widths), pad(widths.map((w) => '-'.repeat(w)), widths), ...lines.map((l) => pad(l, widths))];
  if (notes.length > 0) out.push('', 'notes:', ...notes);
  return out.join('\n');
}
