import { redactCiphertext } from '../diag/format';
import { IMPACT_WORD, plural } from './labels';
import type { DiffReport, ImpactItem, SideInfo } from './types';
import { refText } from './types';

const ESC = '\u001b[';
type Paint = (code: string, s: string) => string;

/** Names and keys come from the repository: a control character in one must not drive the terminal. */
const clean = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

const side = (s: SideInfo): string => `${s.label}${s.commit ? ` (${s.commit.slice(0, 12)})` : ''}${s.absent ? ' [no app]' : ''}`;

/** Terminal text: the impact first, then one line per object, then the unified diffs. */
export function formatText(r: DiffReport, color: boolean): string {
  const paint: Paint = color ? (code, s) => `${ESC}${code}m${s}${ESC}0m` : (_c, s) => s;
  const sev = (i: ImpactItem) => (i.severity === 'error' ? '31;1' : i.severity === 'warning' ? '33' : '36');
  const out: string[] = [paint('1', `habitat-cmp diff: ${clean(r.app)}`), `  base: ${clean(side(r.base))}`, `  head: ${clean(side(r.head))}`, ''];
  const errors = r.impact.filter((i) => i.severity === 'error').length;
  const warnings = r.impact.filter((i) => i.severity === 'warning').length;
  if (r.impact.length) {
    out.push(paint('1', `Impact: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`));
    for (const i of r.impact) {
      out.push(`  ${paint(sev(i), IMPACT_WORD[i.kind].padEnd(9))} ${clean(i.summary)}`);
      for (const d of i.details) out.push(`            ${clean(d)}`);
      for (const c of i.commands) out.push(`            ${c.startsWith('#') ? paint('2', clean(c)) : `$ ${clean(c)}`}`);
    }
    out.push('');
  } else if (r.counts.added + r.counts.removed + r.counts.changed > 0) {
    out.push(paint('1', 'Impact: none (no pod rolls, no sync fails, nothing is pruned)'), '');
  }
  const c = r.counts;
  if (c.added + c.removed + c.changed === 0) {
    out.push(`No differences (${plural(c.unchanged, 'object')} unchanged)`);
    return redactCiphertext(out.join('\n') + '\n');
  }
  out.push(paint('1', `Objects: ${c.added} added, ${c.removed} removed, ${c.changed} changed, ${c.unchanged} unchanged`));
  const mark = { added: paint('32', '+'), removed: paint('31', '-'), changed: paint('33', '~'), unchanged: ' ' };
  for (const o of r.objects) {
    if (o.status === 'unchanged') continue;
    const secrets = o.secrets.filter((s) => s.status !== 'unchanged').map((s) => `${s.field} ${s.status}`);
    out.push(`  ${mark[o.status]} ${clean(refText(o.ref))}${secrets.length ? `  (${clean(secrets.join(', '))}; values not shown)` : ''}`);
  }
  for (const o of r.objects) {
    if (!o.diff) continue;
    out.push('');
    for (const line of o.diff.replace(/\n$/, '').split('\n').map(clean)) {
      const code = line.startsWith('+++') || line.startsWith('---') ? '1' : line.startsWith('@@') ? '36' : line.startsWith('+') ? '32' : line.startsWith('-') ? '31' : '';
      out.push(code ? paint(code, line) : line);
    }
  }
  // Redacted before it got here; this catches anything ciphertext-like that slipped through.
  return redactCiphertext(out.join('\n') + '\n');
}
