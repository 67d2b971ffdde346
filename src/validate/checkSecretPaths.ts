import { error, type Diagnostic } from '../diag/diagnostic';
import { sealedPathOverlaps } from '../model/configCollision';
import type { RawApp } from '../model/raw';
import type { Locator } from './locator';

/** Sealed paths of a workload (after the overlay) may not hold one another: user.toml cannot have both. */
export function checkSecretPaths(app: RawApp, loc: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const w of Object.keys(app.services).sort()) {
    for (const [outer, inner] of sealedPathOverlaps(Object.keys(app.services[w]!.secrets ?? {}))) {
      out.push(error('secret-path-overlap', `sealed values "${outer}" and "${inner}" of services.${w} overlap: "${outer}" would be a table holding "${inner}"`, loc.at(['services', w, 'secrets', inner], 'key'), `keep one of them; to seal several values in a table, use paths beside each other (${outer}.a, ${outer}.b)`));
    }
  }
  return out;
}
