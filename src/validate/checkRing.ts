import { error, type Diagnostic } from '../diag/diagnostic';
import type { RawApp } from '../model/raw';
import { MAX_APP_NAME } from './checkIdentity';
import { dns1035Problem, dns1123LabelProblem } from './dnsNames';
import type { Locator } from './locator';

/**
 * `ring.join`: this app shares another app's gossip ring. Binds resolve only inside
 * one ring (habitat-supervisor-runtime.md §9), so a joined app's service groups
 * become bind targets here; and every member of one ring must hold the same ring
 * key, or the two halves never understand each other's gossip (§5).
 */
export function checkRing(app: RawApp, name: string, namespace: string | undefined, loc: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const join = app.ring?.join ?? [];
  const ownGroups = new Map<string, string>();
  for (const w of Object.keys(app.services).sort()) {
    const s = app.services[w]!;
    ownGroups.set(`${s.service ?? w}.${s.group ?? 'default'}`, w);
  }
  const seen = new Map<string, number>();
  join.forEach((j, i) => {
    const at = ['ring', 'join', i];
    const p = dns1035Problem(j.app, MAX_APP_NAME);
    if (p) out.push(error('ring-join-invalid', `ring.join[${i}].app "${j.app}" ${p}`, loc.at([...at, 'app']), 'name the other app as its metadata.name says (its ring Service is <app>-ring)'));
    if (j.namespace !== undefined) {
      const q = dns1123LabelProblem(j.namespace);
      if (q) out.push(error('ring-join-invalid', `ring.join[${i}].namespace "${j.namespace}" ${q}`, loc.at([...at, 'namespace'])));
    }
    const ns = j.namespace ?? namespace;
    if (j.app === name && (j.namespace === undefined || j.namespace === namespace)) {
      out.push(error('ring-join-self', `ring.join[${i}] names this app itself`, loc.at([...at, 'app']), 'an app is always in its own ring; list only other apps'));
    }
    const key = JSON.stringify([j.app, j.namespace ?? null]);
    const prev = seen.get(key);
    if (prev !== undefined) out.push(error('ring-join-duplicate', `ring.join[${i}] repeats ring.join[${prev}] (${j.app}${ns !== undefined ? ` in ${ns}` : ''})`, loc.at([...at, 'app']), 'list each app once'));
    else seen.set(key, i);
    (j.groups ?? []).forEach((g, k) => {
      const w = ownGroups.get(g);
      if (w !== undefined) {
        out.push(error('ring-join-group-clash', `service group "${g}" of ${j.app} is also the group of services.${w}; in one ring they would be a single group with one election`, loc.at([...at, 'groups', k]), `give services.${w} another group (or service name), or drop ${g} here`));
      }
    });
  });

  if (join.length && app.ring?.sealedKey !== undefined) {
    const scope = app.sealing?.scope ?? 'strict';
    const elsewhere = join.findIndex((j) => j.namespace !== undefined && j.namespace !== namespace);
    if (scope === 'strict') {
      out.push(error('ring-join-key-scope', 'a shared ring needs one ring key in every app, but a strict-scope ring key can only be decrypted as this app\'s own Secret', loc.at(['ring', 'sealedKey']), `set sealing.scope: ${elsewhere >= 0 ? 'cluster-wide' : 'namespace-wide'}, run habitat-cmp ring-key once, and copy ring.sealedKey into every app of the ring`));
    } else if (scope === 'namespace-wide' && elsewhere >= 0) {
      out.push(error('ring-join-key-scope', `ring.join[${elsewhere}] is in namespace ${join[elsewhere]!.namespace}, where a namespace-wide ring key sealed for ${namespace ?? 'this namespace'} cannot be decrypted`, loc.at(['ring', 'join', elsewhere, 'namespace']), 'set sealing.scope: cluster-wide, re-seal, and copy ring.sealedKey into every app of the ring'));
    }
  }
  return out;
}

/** The service groups a bind may name outside this app's workloads. */
export function joinedGroups(app: RawApp): Set<string> {
  return new Set((app.ring?.join ?? []).flatMap((j) => j.groups ?? []));
}
