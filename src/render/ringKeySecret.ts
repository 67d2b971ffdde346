import type { AppModel } from '../model/types';
import { RING_KEY_KEY, ringKeySecretName } from './names';
import { sealedSecret } from './sealedSecret';

/** `<A>-ring-key`: the sealed SYM-SEC-1 key file, handed to every Supervisor as HAB_RING_KEY. */
export const ringKeySecret = (app: AppModel, sealedKey: string): Record<string, unknown> =>
  sealedSecret(app, ringKeySecretName(app), { [RING_KEY_KEY]: sealedKey });
