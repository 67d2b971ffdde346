import type { Position } from '../diag/diagnostic';
import type { NodeSpan } from '../parse/parseYaml';
import { escapeSegment } from '../parse/pointer';

/**
 * Maps a path in the merged model back to habitat.yaml. With an environment
 * selected, a value set by the overlay is reported at the overlay.
 */
export class Locator {
  constructor(
    readonly file: string,
    private readonly spans: ReadonlyMap<string, NodeSpan>,
    private readonly overlayPrefix?: string,
  ) {}

  private nearest(ptr: string): [string, NodeSpan] | undefined {
    let p = ptr;
    for (;;) {
      const s = this.spans.get(p);
      if (s) return [p, s];
      if (p === '') return undefined;
      p = p.slice(0, p.lastIndexOf('/'));
    }
  }

  at(path: readonly (string | number)[], part: 'key' | 'value' = 'value'): Position {
    const ptr = path.map((s) => '/' + escapeSegment(String(s))).join('');
    let best = this.nearest(ptr);
    if (this.overlayPrefix !== undefined) {
      const o = this.spans.get(this.overlayPrefix + ptr) ? ([this.overlayPrefix + ptr, this.spans.get(this.overlayPrefix + ptr)!] as [string, NodeSpan]) : undefined;
      if (o) best = o;
      else if (!best || best[0] !== ptr) {
        // The base lacks the exact node; a deeper overlay ancestor is closer to the truth.
        const oa = this.nearest(this.overlayPrefix + ptr);
        if (oa && oa[0].length - this.overlayPrefix.length > (best?.[0].length ?? -1)) best = oa;
      }
    }
    if (!best) return { file: this.file, offset: 0 };
    const span = part === 'key' && best[1].key ? best[1].key : best[1].value;
    return { file: this.file, offset: span[0], end: span[1] };
  }
}
