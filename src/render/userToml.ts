import { mergeConfig } from '../model/deepMerge';
import type { Workload } from '../model/types';
import { TemplateAction, writeToml } from './toml';

/** Go template action that the Sealed Secrets controller replaces with the decrypted value as a TOML-safe string. */
const sealedAction = (key: string): string => `{{ toJson (index . ${JSON.stringify(key)}) }}`;

/** user.toml as the config Secret carries it: plain, or a template when values are sealed. */
export const userToml = (w: Workload): string => (w.secrets.length === 0 ? writeToml(w.config) : templatedUserToml(w));

/**
 * user.toml as a Go text/template for SealedSecret.spec.template.data: plain
 * values verbatim (with any `{{` escaped so the template engine leaves it
 * alone), each sealed value as a toJson action. Go's JSON string escapes are
 * valid TOML basic-string escapes, so any secret value yields valid TOML.
 * Sealed paths never overlap plain config or each other (checked in the model).
 */
function templatedUserToml(w: Workload): string {
  const tree: Record<string, unknown> = {};
  for (const [path] of w.secrets) {
    const segs = path.split('.');
    let leaf: Record<string, unknown> = { [segs[segs.length - 1]!]: new TemplateAction(sealedAction(path)) };
    for (let j = segs.length - 2; j >= 0; j--) leaf = { [segs[j]!]: leaf };
    Object.assign(tree, mergeConfig(tree, leaf));
  }
  return writeToml(mergeConfig(w.config, tree), { template: true });
}
