import { objectNames } from '../model/identity';
import type { AppModel, Workload } from '../model/types';

export const ringServiceName = (app: AppModel) => objectNames.ringService(app.name);
export const peersConfigMapName = (app: AppModel) => objectNames.peersConfigMap(app.name);
export const ringKeySecretName = (app: AppModel) => objectNames.ringKeySecret(app.name);
export const configSecretName = (w: Workload) => objectNames.configSecret(w.name);

export const PEERS_DIR = '/hab/peers';
export const PEERS_KEY = 'peers';
export const SERVICE_KEY = 'service';
export const RINGS_KEY = 'rings';
export const SEED_SCRIPT_KEY = 'seed.sh';
export const USER_TOML = 'user.toml';
export const RING_KEY_KEY = 'ring-key';
export const GOSSIP_PORT = 9638;
export const HTTP_PORT = 9631;
export const HAB_GID = 42;
