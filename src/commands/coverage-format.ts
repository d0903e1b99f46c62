/** `kms-monitor coverage` as text: the matrix, the reasons and fixes, and a comparison. */
import { escapeText } from '../cli/escape.js';
import type { Comparison, HostMatrix } from './coverage-matrix.js';

/** A cell in a word or two: what the column shows. */
const SHORT: Record<string, string> = {
  activates: 'activates',
  refused: 'REFUSED',
  'predicted-activates': '(activates)',
  'predicted-activates-with-update': '(needs update)',
  'predicted-refused': '(refused)',
  unknown: '?',
};

export const LEGEND =
  'activates / REFUSED: probed this run; (…): predicted by the coverage model from the keys the answers revealed; ?: unknown';

export function formatMatrix(hosts: readonly HostMatrix[]): string {
  const lines: string[] = [];
  hosts.forEach((h, i) => {
    const os = h.hostOs ?? (h.reachable ? 'no ePID seen' : 'not reachable');
    const keys = h.keys.length > 0 ? `; host keys ${h.keys.join(', ')}` : '';
    lines.push(`H${i + 1} ${escapeText(h.host)}: ${escapeText(os)}${escapeText(keys)}`);
  });
  const groups = hosts[0]?.cells.map((c) => c.product) ?? [];
  const width = Math.max(13, ...groups.map((g) => g.length));
  const columns = hosts.map((_h, i) => `H${i + 1}`);
  const colWidth = Math.max(...Object.values(SHORT).map((s) => s.length));
  lines.push('');
  lines.push(
    `${'PRODUCT GROUP'.padEnd(width)}  ${columns.map((c) => c.padEnd(colWidth)).join('  ')}`.trimEnd(),
  );
  for (const [row, group] of groups.entries()) {
    const cells = hosts.map((h) =>
      (SHORT[h.cells[row]?.verdict ?? 'unknown'] ?? '?').padEnd(colWidth),
    );
    lines.push(`${group.padEnd(width)}  ${cells.join('  ')}`.trimEnd());
  }
  lines.push('', LEGEND);
  const notes: string[] = [];
  hosts.forEach((h, i) => {
    for (const c of h.cells) {
      if (
        c.verdict !== 'refused' &&
        c.verdict !== 'predicted-refused' &&
        c.verdict !== 'predicted-activates-with-update'
      )
        continue;
      notes.push(`  H${i + 1} ${c.product}: ${escapeText(c.text)}`);
    }
  });
  if (notes.length > 0) lines.push('', 'Why not, and the fix:', ...notes);
  return `${lines.join('\n')}\n`;
}

export function formatComparison(c: Comparison): string {
  const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : 'nothing');
  return [
    '',
    `Migration ${escapeText(c.old)} → ${escapeText(c.new)}:`,
    `  the new host covers, the old one does not: ${list(c.gained)}`,
    `  the old host covers, the new one does not: ${list(c.lost)}`,
    ...(c.unknown.length > 0 ? [`  not known on one side: ${list(c.unknown)}`] : []),
    c.lost.length > 0
      ? '  Do not cut over yet: clients of the groups above would lose their host.'
      : '  Cut over: publish the new host, then remove the old one from DNS (slmgr /cdns on it), then shut it down.',
    '',
  ].join('\n');
}
