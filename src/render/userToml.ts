import { mergeConfig } from '../model/deepMerge';
import type { Workload } from '../model/types';
import { Raw, writeToml } from './toml';

const SEALED_TOKEN = (i: number) => `\u0000sealed${i}\u0000`;

/** Go template action that the Sealed Secrets controller replaces with the decrypted value as a TOML-safe string. */
export const sealedAction = (key: string): string => `{{ toJson (index . ${JSON.stringify(key)}) }}`;

/** user.toml as the config Secret carries it: plain, or a template when values are sealed. */
export const userToml = (w: Workload): string => (w.secrets.length === 0 ? plainUserToml(w) : templatedUserToml(w));

/** The plain user.toml (no sealed values). */
export const plainUserToml = (w: Workload): string => writeToml(w.config);

/**
 * user.toml as a Go text/template for SealedSecret.spec.template.data: plain
 * values verbatim (with any `{{` escaped so the template engine leaves it
 * alone), each sealed value as a toJson action. Go's JSON string escapes are
 * valid TOML basic-string escapes, so any secret value yields valid TOML.
 */
export function templatedUserToml(w: Workload): string {
  const tree: Record<string, unknown> = {};
  w.secrets.forEach(([path], i) => {
    const segs = path.split('.');
    let leaf: Record<string, unknown> = { [segs[segs.length - 1]!]: new Raw(SEALED_TOKEN(i)) };
    for (let j = segs.length - 2; j >= 0; j--) leaf = { [segs[j]!]: leaf };
    Object.assign(tree, mergeConfig(tree, leaf));
  });
  const text = writeToml(mergeConfig(w.config, tree));
  return text.replace(/\{\{/g, '{{"{{"}}').replace(/\u0000sealed(\d+)\u0000/g, (_, i: string) => sealedAction(w.secrets[Number(i)]![0]));
}
