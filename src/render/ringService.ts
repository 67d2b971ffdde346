import type { AppModel } from '../model/types';
import { appLabels, objectMeta, ringSelector } from './labels';
import { GOSSIP_PORT, HTTP_PORT, ringServiceName } from './names';

/**
 * Headless Service over every pod of the app: gives each pod a stable DNS name
 * for the peer file. Not-ready pods are published because a Supervisor must be
 * reachable for gossip before its service is healthy.
 */
export function ringService(app: AppModel): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMeta(app, ringServiceName(app), appLabels(app)),
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: ringSelector(app),
      ports: [
        { name: 'hab-gossip', port: GOSSIP_PORT, targetPort: GOSSIP_PORT, protocol: 'TCP' },
        { name: 'hab-gossip-udp', port: GOSSIP_PORT, targetPort: GOSSIP_PORT, protocol: 'UDP' },
        { name: 'hab-http', port: HTTP_PORT, targetPort: HTTP_PORT, protocol: 'TCP' },
      ],
    },
  };
}
