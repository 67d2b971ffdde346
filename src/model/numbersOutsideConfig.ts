import { plainNumbers } from '../parse/exactNumber';
import { isPlainObject } from './deepMerge';
import type { RawApp } from './raw';

/**
 * Floats keep their written text only inside `config`, for user.toml; every
 * other field (counts, ports, quantities, env and label values, the pod
 * pass-through) gets plain numbers, with integers beyond 2^53 still exact
 * (bigint). Base and overlays alike.
 */
export function numbersOutsideConfig(app: RawApp): RawApp {
  const services = (m: unknown): unknown => {
    if (!isPlainObject(m)) return m;
    const out: Record<string, unknown> = {};
    for (const [w, s] of Object.entries(m)) {
      let v: unknown = s;
      if (isPlainObject(s)) {
        const { config, ...rest } = s;
        v = { ...(plainNumbers(rest, true) as object), ...(config !== undefined ? { config } : {}) };
      }
      Object.defineProperty(out, w, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  const part = (p: Record<string, unknown>): Record<string, unknown> => {
    const { services: s, environments, ...rest } = p;
    const out: Record<string, unknown> = plainNumbers(rest, true) as Record<string, unknown>;
    return { ...out, ...(s !== undefined ? { services: services(s) } : {}), ...(environments !== undefined ? { environments: environmentsOf(environments) } : {}) };
  };
  const environmentsOf = (e: unknown): unknown => {
    if (!isPlainObject(e)) return e;
    const out: Record<string, unknown> = {};
    for (const [name, overlay] of Object.entries(e)) Object.defineProperty(out, name, { value: isPlainObject(overlay) ? part(overlay) : overlay, enumerable: true, writable: true, configurable: true });
    return out;
  };
  return part(app as unknown as Record<string, unknown>) as unknown as RawApp;
}
