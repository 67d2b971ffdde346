import type { AppModel, Workload } from '../model/types';

export const ringServiceName = (app: AppModel) => `${app.name}-ring`;
export const peersConfigMapName = (app: AppModel) => `${app.name}-peers`;
export const ringKeySecretName = (app: AppModel) => `${app.name}-ring-key`;
export const configSecretName = (w: Workload) => `${w.name}-config`;

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
