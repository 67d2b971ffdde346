import { error, type Diagnostic } from '../diag/diagnostic';
import type { RawApp } from '../model/raw';
import { sealedValueProblem } from '../seal/sealedValue';
import type { Locator } from './locator';

/**
 * Every sealed value in the file, base and all environments (not only the
 * selected one): a pasted plaintext or a truncated copy is caught before the
 * controller can only say "no key could decrypt".
 */
export function checkSealedValues(app: RawApp, loc: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (value: unknown, path: string[]) => {
    if (typeof value !== 'string') return;
    const why = sealedValueProblem(value);
    if (why) out.push(error('sealed-value-invalid', `${path.join('.')} ${why}`, loc.at(path), 'seal values with "habitat-cmp seal" (or kubeseal --raw) and paste the output unchanged'));
  };
  const scan = (part: { ring?: { sealedKey?: unknown }; services?: Record<string, { secrets?: Record<string, unknown> } | null> } | undefined, prefix: string[]) => {
    if (!part) return;
    check(part.ring?.sealedKey, [...prefix, 'ring', 'sealedKey']);
    for (const w of Object.keys(part.services ?? {}).sort()) {
      const secrets = part.services![w]?.secrets ?? {};
      for (const k of Object.keys(secrets).sort()) check(secrets[k], [...prefix, 'services', w, 'secrets', k]);
    }
  };
  scan(app, []);
  for (const env of Object.keys(app.environments ?? {}).sort()) scan(app.environments![env] as Parameters<typeof scan>[0], ['environments', env]);
  return out;
}
