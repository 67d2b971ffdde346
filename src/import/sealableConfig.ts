import { isPlainObject } from '../model/deepMerge';
import type { TomlTable } from '../parse/parseToml';
import { SECRET_PATH_PATTERN } from '../schema/habitatSchema';

const PATH = new RegExp(SECRET_PATH_PATTERN);
// Numbers and dates are values of their own classes, not tables (nor strings).
const isTable = (v: unknown): v is TomlTable => isPlainObject(v);

/**
 * Splits a user.toml for sealing key by key. A sealed value always comes
 * back as a TOML string (the SealedSecret template writes it with toJson), so
 * only string leaves reached through tables can be sealed without changing
 * their type; so can only paths that `secrets` keys allow, and only values the
 * controller's toJson keeps valid in TOML (no DEL) and that are not empty.
 * Everything else stays plain, and its path is reported.
 */
export function sealableConfig(table: TomlTable): { sealable: [string, string][]; rest: TomlTable; kept: string[] } {
  const sealable: [string, string][] = [];
  const kept: string[] = [];
  const walk = (t: TomlTable, path: string[]): TomlTable => {
    const rest: TomlTable = {};
    for (const k of Object.keys(t).sort()) {
      const v = t[k];
      const p = [...path, k];
      const dotted = p.join('.');
      if (isTable(v)) {
        const sub = walk(v, p);
        if (Object.keys(sub).length || Object.keys(v).length === 0) rest[k] = sub;
        continue;
      }
      if (typeof v === 'string' && v.length > 0 && !v.includes('\u007f') && PATH.test(dotted) && dotted.length <= 253) sealable.push([dotted, v]);
      else {
        rest[k] = v;
        kept.push(dotted);
      }
    }
    return rest;
  };
  const rest = walk(table, []);
  return { sealable, rest, kept };
}
