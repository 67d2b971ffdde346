import type { Inputs } from '../load/inputs';
import type { RawApp } from './raw';
import type { Scope } from './types';

/**
 * Who the app is, after the environment overlay: the one answer render,
 * validate, seal and ring-key share. A sealed value decrypts only where the
 * controller derives the same label from the same names, so none of them may
 * work these out on its own.
 */
export interface AppIdentity {
  /** metadata.name, else the app name input (ARGOCD_APP_NAME / --name), else the directory name. */
  name: string;
  nameFrom: 'metadata' | 'input' | 'directory';
  /** metadata.namespace (an overlay may set it), else the destination namespace; unset when neither is known. */
  namespace?: string;
  scope: Scope;
}

export function appIdentity(app: RawApp, inputs: Pick<Inputs, 'appName' | 'namespace'>, directoryName: string): AppIdentity {
  const nameFrom = app.metadata?.name !== undefined ? 'metadata' : inputs.appName !== undefined ? 'input' : 'directory';
  const namespace = app.metadata?.namespace ?? inputs.namespace;
  return {
    name: app.metadata?.name ?? inputs.appName ?? directoryName,
    nameFrom,
    ...(namespace !== undefined ? { namespace } : {}),
    scope: app.sealing?.scope ?? 'strict',
  };
}

/** Names of the objects habitat-cmp renders for an app `A` and its workloads `W`. */
export const objectNames = {
  ringService: (app: string) => `${app}-ring`,
  peersConfigMap: (app: string) => `${app}-peers`,
  ringKeySecret: (app: string) => `${app}-ring-key`,
  configSecret: (workload: string) => `${workload}-config`,
};
