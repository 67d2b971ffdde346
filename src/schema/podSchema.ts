/**
 * The `pod:` pass-through of habitat.yaml, typed field by field like the
 * Kubernetes core/v1 types it is copied into (k8s.io/api core/v1 types.go;
 * LabelSelector from apimachinery meta/v1). The API server decodes strictly and
 * case-sensitively: an unknown field or a number where a string belongs is
 * refused, so the schema refuses it first, with a position and a "did you mean".
 * Values (operators, ranges, names) are checked on the rendered StatefulSet by
 * src/validate/k8s, which knows the Kubernetes rules.
 */
const scalarMap = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } } as const;
const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const strList = { type: 'array', items: str } as const;
const stringMap = { type: 'object', additionalProperties: str } as const;
const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 } as const;
const int64 = { type: 'integer' } as const;
const list = <T>(items: T) => ({ type: 'array', items }) as const;
const obj = <P>(properties: P) => ({ type: 'object', additionalProperties: false, properties }) as const;
const ref = <N extends string>(name: N) => ({ $ref: `#/definitions/${name}` }) as const;

const nodeSelectorRequirement = obj({ key: str, operator: str, values: strList });

/** Shared by `pod` and nested references; they live in the habitat schema's definitions. */
export const podDefinitions = {
  labelSelector: obj({ matchLabels: stringMap, matchExpressions: list(obj({ key: str, operator: str, values: strList })) }),
  nodeSelectorTerm: obj({ matchExpressions: list(nodeSelectorRequirement), matchFields: list(nodeSelectorRequirement) }),
  podAffinityTerm: obj({
    labelSelector: ref('labelSelector'),
    namespaceSelector: ref('labelSelector'),
    namespaces: strList,
    topologyKey: str,
    matchLabelKeys: strList,
    mismatchLabelKeys: strList,
  }),
  podAffinity: obj({
    requiredDuringSchedulingIgnoredDuringExecution: list(ref('podAffinityTerm')),
    preferredDuringSchedulingIgnoredDuringExecution: list(obj({ weight: int32, podAffinityTerm: ref('podAffinityTerm') })),
  }),
} as const;

export const podSchema = {
  type: 'object',
  description: 'Pass-through to the pod template (scheduling and security), as in a Kubernetes PodSpec.',
  additionalProperties: false,
  properties: {
    annotations: scalarMap,
    labels: scalarMap,
    nodeSelector: scalarMap,
    tolerations: list(obj({ key: str, operator: str, value: str, effect: str, tolerationSeconds: int64 })),
    affinity: obj({
      nodeAffinity: obj({
        requiredDuringSchedulingIgnoredDuringExecution: obj({ nodeSelectorTerms: list(ref('nodeSelectorTerm')) }),
        preferredDuringSchedulingIgnoredDuringExecution: list(obj({ weight: int32, preference: ref('nodeSelectorTerm') })),
      }),
      podAffinity: ref('podAffinity'),
      podAntiAffinity: ref('podAffinity'),
    }),
    topologySpreadConstraints: list(
      obj({
        maxSkew: int32,
        topologyKey: str,
        whenUnsatisfiable: str,
        labelSelector: ref('labelSelector'),
        minDomains: int32,
        nodeAffinityPolicy: str,
        nodeTaintsPolicy: str,
        matchLabelKeys: strList,
      }),
    ),
    serviceAccountName: str,
    automountServiceAccountToken: bool,
    securityContext: obj({
      seLinuxOptions: obj({ user: str, role: str, type: str, level: str }),
      windowsOptions: obj({ gmsaCredentialSpecName: str, gmsaCredentialSpec: str, runAsUserName: str, hostProcess: bool }),
      runAsUser: int64,
      runAsGroup: int64,
      runAsNonRoot: bool,
      supplementalGroups: list(int64),
      supplementalGroupsPolicy: str,
      fsGroup: int64,
      sysctls: list(obj({ name: str, value: str })),
      fsGroupChangePolicy: str,
      seccompProfile: obj({ type: str, localhostProfile: str }),
      appArmorProfile: obj({ type: str, localhostProfile: str }),
      seLinuxChangePolicy: str,
    }),
    imagePullSecrets: list(obj({ name: str })),
    priorityClassName: str,
    runtimeClassName: str,
    schedulerName: str,
    terminationGracePeriodSeconds: { type: 'integer', minimum: 0 },
    dnsPolicy: str,
    dnsConfig: obj({ nameservers: strList, searches: strList, options: list(obj({ name: str, value: str })) }),
    hostAliases: list(obj({ ip: str, hostnames: strList })),
  },
} as const;
