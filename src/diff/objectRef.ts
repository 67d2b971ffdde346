import type { K8sObject } from '../render/renderApp';
import type { ObjectRef } from './types';

/** Argo CD tells resources apart by group, kind, namespace and name; the version is not part of it. */
export function objectRef(o: K8sObject): ObjectRef {
  const slash = o.apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : o.apiVersion.slice(0, slash),
    kind: o.kind,
    ...(o.metadata.namespace !== undefined ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata.name,
  };
}

export const refKey = (r: ObjectRef): string => `${r.group}\u0000${r.kind}\u0000${r.namespace ?? ''}\u0000${r.name}`;
