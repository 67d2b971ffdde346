import { redactCiphertext } from '../diag/format';
import { IMPACT_WORD, plural } from './labels';
import type { DiffReport, ObjectRef, SideInfo } from './types';
import { refText } from './types';

/** GitHub refuses comments over 65,536 characters; diffs are dropped first. */
export const MAX_MARKDOWN = 60_000;

/** Backslash-escapes what CommonMark could read as markup in user-derived text (names, images, keys). */
const text = (s: string): string => s.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]<>#!|~&]/g, (c) => `\\${c}`);
const code = (s: string): string => {
  const flat = s.replace(/[\r\n]+/g, ' ');
  const ticks = '`'.repeat(Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || /^ .* $/.test(flat) ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
};
const fence = (body: string, info: string, indent = ''): string[] => {
  const f = '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return [`${indent}${f}${info}`, ...body.replace(/\n$/, '').split('\n').map((l) => indent + l), `${indent}${f}`];
};
const html = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const ref = (r: ObjectRef): string => `${r.kind} ${code(`${r.namespace !== undefined ? r.namespace + '/' : ''}${r.name}`)}`;
const side = (s: SideInfo): string => `${s.commit ? `${code(s.label)} (${code(s.commit.slice(0, 12))})` : text(s.label)}${s.absent ? ' (no app)' : ''}`;

/** For a pull-request comment: headings, a bullet per impact, a bullet per object, diffs folded in <details>. */
export function formatMarkdown(r: DiffReport): string {
  const out: string[] = [`## habitat-cmp diff: ${code(r.app)}`, '', `base ${side(r.base)} → head ${side(r.head)}`, ''];
  if (r.impact.length) {
    out.push('### Impact', '');
    for (const i of r.impact) {
      out.push(`- **${IMPACT_WORD[i.kind]}** (${i.severity}) ${text(i.summary)}`);
      for (const d of i.details) out.push(`  - ${text(d)}`);
      if (i.commands.length) out.push('', ...fence(i.commands.join('\n'), 'sh', '  '));
    }
    out.push('');
  } else if (r.counts.added + r.counts.removed + r.counts.changed > 0) {
    out.push('### Impact', '', 'None: no pod rolls, no sync fails, nothing is pruned.', '');
  }
  const c = r.counts;
  out.push('### Objects', '');
  if (c.added + c.removed + c.changed === 0) {
    out.push(`No differences (${plural(c.unchanged, 'object')} unchanged).`);
    return redactCiphertext(out.join('\n') + '\n');
  }
  out.push(`${c.added} added, ${c.removed} removed, ${c.changed} changed, ${c.unchanged} unchanged`, '');
  for (const o of r.objects) {
    if (o.status === 'unchanged') continue;
    const secrets = o.secrets.filter((s) => s.status !== 'unchanged').map((s) => `${code(s.field)} ${s.status}`);
    out.push(`- ${o.status}: ${ref(o.ref)}${secrets.length ? ` (${secrets.join(', ')}; values not shown)` : ''}`);
  }
  out.push('');
  let size = out.join('\n').length;
  let dropped = 0;
  for (const o of r.objects) {
    if (!o.diff) continue;
    const block = ['<details>', `<summary>${html(refText(o.ref))}</summary>`, '', ...fence(o.diff, 'diff'), '', '</details>', ''];
    const len = block.join('\n').length + 1;
    if (size + len > MAX_MARKDOWN) {
      dropped++;
      continue;
    }
    size += len;
    out.push(...block);
  }
  if (dropped) out.push(`${plural(dropped, 'diff')} not shown (comment size limit): run ${code('habitat-cmp diff')} locally.`, '');
  return redactCiphertext(out.join('\n').replace(/\n+$/, '') + '\n');
}
