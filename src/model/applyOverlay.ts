import { error, type Diagnostic } from '../diag/diagnostic';
import { escapeSegment } from '../parse/pointer';
import type { Locator } from '../validate/locator';
import { deepMerge } from './deepMerge';
import type { RawApp } from './raw';

export interface Overlaid {
  /** The base with the selected environment merged over it; no `environments` key. */
  app: RawApp;
  /** Environment names habitat.yaml defines, sorted. */
  environments: string[];
  /** JSON pointer of the selected overlay, for reporting values it set at the overlay. */
  overlayPrefix?: string;
  diagnostics: Diagnostic[];
}

/**
 * Selecting an environment deep-merges it over the base: mappings merge key by
 * key, lists and scalars replace, and `null` removes a key. Unknown names are
 * errors, never a silent render of the base.
 */
export function applyOverlay(base: RawApp, environment: string | undefined, loc: Locator): Overlaid {
  const { environments: overlays, ...rest } = base;
  const environments = Object.keys(overlays ?? {}).sort();
  if (environment === undefined) return { app: rest as RawApp, environments, diagnostics: [] };
  if (!Object.prototype.hasOwnProperty.call(overlays ?? {}, environment)) {
    const hint = environments.length ? `known environments: ${environments.join(', ')}` : 'habitat.yaml defines no environments';
    const at = { file: loc.file, offset: overlays ? loc.at(['environments'], 'key').offset : 0 };
    return { app: rest as RawApp, environments, diagnostics: [error('environment-unknown', `unknown environment "${environment}"`, at, hint)] };
  }
  return { app: deepMerge(rest, overlays![environment]) as RawApp, environments, overlayPrefix: `/environments/${escapeSegment(environment)}`, diagnostics: [] };
}
