import { error, warning, type Diagnostic } from '../diag/diagnostic';
import type { ImportedApp } from './importedApp';
import type { ManifestObject } from './parseManifests';
import { RING_SECRET_NAME, type OperatorHabitat } from './readHabitat';
import { ringKeyContent } from './ringKeyContent';
import { SECRET_VALUE_PROBLEM, secretValue } from './secretValue';

/** The ring key Secret of the Habitats of one app; they must agree, as one ring has one key. */
export function appRingKey(group: readonly OperatorHabitat[], secret: (ns: string, name: string) => ManifestObject | undefined, consumed: Set<ManifestObject>, d: Diagnostic[], splitHint: boolean): ImportedApp['ringKey'] | undefined {
  const names = [...new Set(group.map((h) => h.ringSecretName ?? ''))].sort();
  if (names.length > 1) {
    const odd = group.find((h) => (h.ringSecretName ?? '') !== (group[0]!.ringSecretName ?? ''))!;
    d.push(error('import-ring-mixed', `Habitats ${group[0]!.name} and ${odd.name} share a namespace (one ring) but not a ring key (${names.map((n) => n || 'none').join(' vs ')})`, odd.obj.at([...odd.base, 'service', ...(odd.ringSecretName !== undefined ? ['ringSecretName'] : [])], odd.ringSecretName !== undefined ? 'value' : 'key'),
      splitHint ? 'their Supervisors could not gossip under the operator either; give them one ringSecretName, or import with --split' : 'give them one ringSecretName'));
    return undefined;
  }
  const secretName = names[0];
  if (!secretName) return undefined;
  const h = group.find((x) => x.ringSecretName === secretName)!;
  const where = h.obj.at([...h.base, 'service', 'ringSecretName']);
  const s = secret(h.namespace ?? '', secretName);
  if (!s) {
    d.push(error('import-secret-missing', `Habitat ${h.name}: ring key Secret ${secretName} is not in the input`, where, 'pass the file that holds it too; without the key the ring would run unencrypted'));
    return undefined;
  }
  consumed.add(s);
  const v = secretValue(s, 'ring-key');
  if (!v.ok) {
    d.push(error('import-secret-key', `Habitat ${h.name}: key ring-key of Secret ${secretName} ${SECRET_VALUE_PROBLEM[v.problem]}`, v.path ? s.at(v.path, 'key') : s.at(['metadata', 'name'])));
    return undefined;
  }
  const c = ringKeyContent(v.text);
  if ('problem' in c) {
    d.push(error('import-ring-key-invalid', `Secret ${secretName}: ring-key is not a Habitat ring key: it ${c.problem}`, s.at(v.path, 'key')));
    return undefined;
  }
  if (c.namedRevision !== secretName) {
    d.push(warning('import-ring-key-name', `Secret ${secretName} holds the key ${c.namedRevision}; the operator expected the Secret to be named after it`, s.at(['metadata', 'name']), `habitat-cmp hands the key to the Supervisor as HAB_RING_KEY, which uses the name inside the key (ring ${RING_SECRET_NAME.exec(c.namedRevision)![1]})`));
  }
  return { content: v.text, secret: secretName };
}
