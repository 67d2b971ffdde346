import { labelKeyProblem } from '../dnsNames';
import { finding, type FieldPath, type Finding } from './finding';
import { compareQuantity, isNegative, parseQuantity, scaledValue, type Quantity } from './quantity';
import { entriesOf, q } from './untyped';

/** core/helper standardResources (what a one-segment resource name may be at all). */
const STANDARD = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'storage', 'requests.storage',
  'services.nodeports', 'services.loadbalancers',
]);
/** core/helper standardContainerResources. */
const CONTAINER = new Set(['cpu', 'memory', 'ephemeral-storage']);
const HUGEPAGES = 'hugepages-';

const isHugePages = (name: string) => name.startsWith(HUGEPAGES);
/** helper.IsNativeResource: no domain, or a kubernetes.io one. */
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
/** helper.IsExtendedResourceName. */
const isExtended = (name: string) => !isNative(name) && !name.startsWith('requests.') && labelKeyProblem(`requests.${name}`) === undefined;
/** helper.IsOvercommitAllowed: requests may differ from limits only for native, non-hugepage resources. */
const overcommitAllowed = (name: string) => isNative(name) && !isHugePages(name);
/** helper.IsIntegerResourceName, for what a container may ask for: extended resources count whole devices. */
const isInteger = (name: string) => isExtended(name);

/** core validateContainerResourceName (with validateResourceName). */
function nameProblem(name: string): string | undefined {
  const kp = labelKeyProblem(name);
  if (kp) return `is not a valid resource name: it ${kp}`;
  if (!name.includes('/')) {
    if (!STANDARD.has(name) && !isHugePages(name) && !name.startsWith(`requests.${HUGEPAGES}`)) return 'is not a standard resource; other resources need a domain prefix, e.g. example.com/gpu';
    if (!CONTAINER.has(name) && !isHugePages(name)) return 'is not a resource a container can ask for; use cpu, memory, ephemeral-storage or hugepages-<size>';
  } else if (!isNative(name) && !isExtended(name)) return 'does not follow the extended resource name format <domain>/<name>';
  return undefined;
}

/** helper.IsHugePageResourceValueDivisible. */
function hugePagesDivisible(name: string, value: Quantity): boolean {
  const page = parseQuantity(name.slice(HUGEPAGES.length));
  if (!page || page.negative || page.m === 0n) return false;
  const pageMilli = scaledValue(page, -3);
  const pageSize = scaledValue(page, 0);
  const v = scaledValue(value, 0);
  if (pageMilli === undefined || pageSize === undefined || v === undefined || pageMilli % 1000n !== 0n) return false;
  return v % pageSize === 0n;
}

/** ValidateResourceQuantityValue, plus validateResourceQuantityHugePageValue. */
function quantityProblems(name: string, raw: unknown, p: FieldPath): [Quantity | undefined, Finding[]] {
  const text = String(raw);
  const value = parseQuantity(text);
  if (!value) return [undefined, [finding('k8s-resource-quantity-invalid', p, `${name} quantity ${q(text)} is not a Kubernetes quantity`, { hint: 'use a number with an optional suffix, e.g. 500m, 1, 256Mi, 2Gi' })]];
  const out: Finding[] = [];
  if (isNegative(value)) out.push(finding('k8s-resource-quantity-invalid', p, `${name} quantity ${q(text)} must not be negative`));
  else if (isInteger(name) && (scaledValue(value, -3) ?? 0n) % 1000n !== 0n) {
    out.push(finding('k8s-resource-quantity-invalid', p, `${name} is an extended resource and must be a whole number, not ${q(text)}`, { hint: 'devices cannot be shared: ask for 1, 2, ...' }));
  }
  if (isHugePages(name) && !isNegative(value) && !hugePagesDivisible(name, value)) {
    out.push(finding('k8s-resource-quantity-invalid', p, `${name} quantity ${q(text)} is not a whole multiple of the page size ${name.slice(HUGEPAGES.length)}`));
  }
  return [value, out];
}

/** core ValidateResourceRequirements for a container (no resource claims). */
export function validateResourceRequirements(requests: unknown, limits: unknown, path: FieldPath): Finding[] {
  const out: Finding[] = [];
  const limitValues = new Map<string, [Quantity | undefined, string]>();
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [kind, map] of [['limits', limits], ['requests', requests]] as const) {
    for (const [name, raw] of entriesOf(map)) {
      const p = [...path, kind, name];
      const np = nameProblem(name);
      if (np) out.push(finding('k8s-resource-name-invalid', p, `resource ${q(name)} ${np}`, { key: true }));
      const [value, problems] = quantityProblems(name, raw, p);
      out.push(...problems);
      if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
      if (isHugePages(name)) hugePages = true;
      if (kind === 'limits') {
        limitValues.set(name, [value, String(raw)]);
        continue;
      }
      const limit = limitValues.get(name);
      if (limit) {
        const [lv, ltext] = limit;
        if (!value || !lv) continue;
        const c = compareQuantity(value, lv);
        if (c !== 0 && !overcommitAllowed(name)) {
          out.push(finding('k8s-resources-request-must-equal-limit', p, `request ${q(String(raw))} of ${name} must equal its limit ${q(ltext)}`, { hint: `${isHugePages(name) ? 'hugepages' : 'extended resources'} cannot be overcommitted; set request and limit to the same value (or only the limit)` }));
        } else if (c > 0) {
          out.push(finding('k8s-resources-request-exceeds-limit', p, `request ${q(String(raw))} of ${name} is more than its limit ${q(ltext)}`, { hint: 'raise the limit or lower the request' }));
        }
      } else if (!overcommitAllowed(name) && !np) {
        out.push(finding('k8s-resources-limit-required', p, `${name} is requested without a limit`, { hint: `${isHugePages(name) ? 'hugepages' : 'extended resources'} cannot be overcommitted: set limits.${name} (requests may then be left out)` }));
      }
    }
  }
  if (hugePages && !cpuOrMemory) out.push(finding('k8s-resources-hugepages-need-cpu-or-memory', path, 'hugepages need a cpu or memory request or limit as well'));
  return out;
}
