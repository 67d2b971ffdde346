import type { K8sObject } from '../render/renderApp';
import { compareObjects } from '../serialize/order';
import { toJson } from '../serialize/toJson';
import { toYaml } from '../serialize/toYaml';
import { objectRef, refKey } from './objectRef';
import { redactPair } from './redact';
import type { ChangeStatus, ObjectEntry, ObjectRef } from './types';
import { unifiedDiff } from './unifiedDiff';

/** One object on both sides; `before`/`after` are the rendered objects, for impact analysis only, never printed. */
export interface ObjectPair {
  key: string;
  ref: ObjectRef;
  status: ChangeStatus;
  before?: K8sObject;
  after?: K8sObject;
  entry: ObjectEntry;
}

const path = (side: string, r: ObjectRef): string => `${side}/${r.kind}/${r.namespace !== undefined ? r.namespace + '/' : ''}${r.name}`;

/** Pairs objects by Argo CD's identity (group, kind, namespace, name), in install order. */
export function diffObjects(before: readonly K8sObject[], after: readonly K8sObject[]): ObjectPair[] {
  const bm = new Map(before.map((o) => [refKey(objectRef(o)), o]));
  const am = new Map(after.map((o) => [refKey(objectRef(o)), o]));
  const keys = [...new Set([...bm.keys(), ...am.keys()])];
  const pairs: ObjectPair[] = keys.map((key) => {
    const b = bm.get(key);
    const a = am.get(key);
    const ref = objectRef((a ?? b)!);
    const status: ChangeStatus = !b ? 'added' : !a ? 'removed' : toJson(b) === toJson(a) ? 'unchanged' : 'changed';
    const red = redactPair(b, a);
    const diff = status === 'changed' ? unifiedDiff(toYaml(red.before), toYaml(red.after), { before: path('base', ref), after: path('head', ref) }) : '';
    const entry: ObjectEntry = { ref, apiVersion: (a ?? b)!.apiVersion, status, diff, secrets: red.secrets };
    return { key, ref, status, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}), entry };
  });
  return pairs.sort((x, y) => compareObjects((x.after ?? x.before)!, (y.after ?? y.before)!) || (x.key < y.key ? -1 : 1));
}
