import { dns1123LabelProblem, portNameProblem } from '../dnsNames';
import { finding, type Finding } from './finding';
import { validateLabels, validateObjectMeta } from './objectMeta';
import { asList, asNum, asObj, asStr, q, type Obj } from './untyped';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const validPort = (n: number | undefined) => n !== undefined && Number.isInteger(n) && n >= 1 && n <= 65535;

/** core ValidateService (with validateServicePort), for ClusterIP and headless Services. */
export function validateService(obj: Obj): Finding[] {
  const out: Finding[] = validateObjectMeta(obj.metadata, 'dns1035-label', 'Service');
  const spec = asObj(obj.spec) ?? {};
  // Defaulting: type ClusterIP, protocol TCP, targetPort = port.
  const type = asStr(spec.type) ?? 'ClusterIP';
  if (!TYPES.includes(type)) out.push(finding('k8s-service-invalid', ['spec', 'type'], `Service type ${q(type)} is not supported`));
  const headless = spec.clusterIP === 'None';
  if (headless && type !== 'ClusterIP') out.push(finding('k8s-service-invalid', ['spec', 'clusterIP'], `clusterIP None is only for ClusterIP Services, not ${type}`));
  const ports = asList(spec.ports).map((p) => asObj(p) ?? {});
  if (ports.length === 0 && !headless && type !== 'ExternalName') out.push(finding('k8s-service-port-invalid', ['spec', 'ports'], 'a Service needs at least one port'));
  const names = new Set<string>();
  const pairs = new Map<string, number>();
  ports.forEach((sp, i) => {
    const p = ['spec', 'ports', i];
    const name = asStr(sp.name) ?? '';
    if (ports.length > 1 && name === '') out.push(finding('k8s-service-port-invalid', [...p, 'name'], 'a Service with several ports needs a name for each'));
    else if (name !== '') {
      const np = dns1123LabelProblem(name);
      if (np) out.push(finding('k8s-service-port-invalid', [...p, 'name'], `Service port name ${q(name)} ${np}`));
      else if (names.has(name)) out.push(finding('k8s-service-port-invalid', [...p, 'name'], `Service port name ${q(name)} is used twice`));
      names.add(name);
    }
    const port = asNum(sp.port);
    if (!validPort(port)) out.push(finding('k8s-service-port-invalid', [...p, 'port'], `port ${q(sp.port ?? 0)} must be from 1 to 65535`));
    const protocol = asStr(sp.protocol) ?? 'TCP';
    if (!PROTOCOLS.includes(protocol)) out.push(finding('k8s-service-port-invalid', [...p, 'protocol'], `protocol ${q(protocol)} is not supported`, { hint: 'use TCP, UDP or SCTP' }));
    // ValidatePortNumOrName
    const target = sp.targetPort ?? sp.port;
    if (typeof target === 'string' ? portNameProblem(target) !== undefined : !validPort(asNum(target))) out.push(finding('k8s-service-port-invalid', [...p, 'targetPort'], `targetPort ${q(target)} is not a port number or name`));
    // "Check for duplicate Ports, considering (protocol,port) pairs"
    const key = `${protocol}/${port}`;
    const prev = pairs.get(key);
    if (prev !== undefined) out.push(finding('k8s-service-port-invalid', [...p, 'port'], `port ${port}/${protocol} is already exposed by the port ${q(asStr(ports[prev]!.name) ?? prev)}`, { hint: 'a Service can expose each port number once per protocol: drop one of them or change its port' }));
    else pairs.set(key, i);
  });
  out.push(...validateLabels(spec.selector, ['spec', 'selector'], 'selector label').map((f) => ({ ...f, code: 'k8s-service-invalid' as const })));
  const affinity = asStr(spec.sessionAffinity) ?? 'None';
  if (affinity !== 'None' && affinity !== 'ClientIP') out.push(finding('k8s-service-invalid', ['spec', 'sessionAffinity'], `sessionAffinity ${q(affinity)} is not supported`));
  return out;
}
