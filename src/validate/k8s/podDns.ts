import { finding, type FieldPath, type Finding } from './finding';
import { dns1123SubdomainProblem, dns1123SubdomainWithUnderscoreProblem, ipAddressProblem } from './formats';
import type { KubeRules } from './kubeRules';
import { asList, asObj, asStr, q } from './untyped';

const POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
/** MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars (the limits of glibc's resolv.conf). */
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_CHARS = 2048;

/** core validateDNSPolicy and validatePodDNSConfig. An unset policy is defaulted to ClusterFirst before validation. */
export function validatePodDns(policy: unknown, config: unknown, rules: KubeRules, specPath: FieldPath): Finding[] {
  const out: Finding[] = [];
  const pol = asStr(policy) ?? 'ClusterFirst';
  if (!POLICIES.includes(pol)) out.push(finding('k8s-dns-policy-invalid', [...specPath, 'dnsPolicy'], `dnsPolicy ${q(pol)} is not supported`, { hint: `use ${POLICIES.join(', ')}` }));
  const cfg = asObj(config);
  const p = [...specPath, 'dnsConfig'];
  const nameservers = asList(cfg?.nameservers).map(String);
  if (pol === 'None' && nameservers.length === 0) {
    out.push(finding('k8s-dns-config-invalid', cfg ? [...p, 'nameservers'] : [...specPath, 'dnsPolicy'], 'dnsPolicy None needs dnsConfig with at least one nameserver'));
  }
  if (!cfg) return out;
  if (nameservers.length > MAX_NAMESERVERS) out.push(finding('k8s-dns-config-invalid', [...p, 'nameservers'], `${nameservers.length} nameservers; Kubernetes allows at most ${MAX_NAMESERVERS}`));
  nameservers.forEach((ns, i) => {
    const ip = ipAddressProblem(ns);
    if (ip) out.push(finding('k8s-dns-config-invalid', [...p, 'nameservers', i], `nameserver ${q(ns)} ${ip}`));
  });
  const searches = asList(cfg.searches).map(String);
  if (searches.length > MAX_SEARCHES) out.push(finding('k8s-dns-config-invalid', [...p, 'searches'], `${searches.length} search domains; Kubernetes allows at most ${MAX_SEARCHES}`));
  if (searches.join(' ').length > MAX_SEARCH_CHARS) out.push(finding('k8s-dns-config-invalid', [...p, 'searches'], `the search list is longer than ${MAX_SEARCH_CHARS} characters (spaces included)`));
  searches.forEach((s, i) => {
    if (rules.relaxedDnsSearch && s === '.') return;
    // A trailing dot is fine.
    const name = s.endsWith('.') ? s.slice(0, -1) : s;
    const sp = rules.relaxedDnsSearch ? (name === '' ? 'must not be empty' : dns1123SubdomainWithUnderscoreProblem(name)) : dns1123SubdomainProblem(name);
    if (sp) {
      const hint = rules.relaxedDnsSearch ? undefined : `${rules.describe} applies the strict rule; "_" and a lone "." are accepted from Kubernetes 1.33`;
      out.push(finding('k8s-dns-config-invalid', [...p, 'searches', i], `search domain ${q(s)} ${sp}`, hint ? { hint } : {}));
    }
  });
  asList(cfg.options).forEach((o, i) => {
    if ((asStr(asObj(o)?.name) ?? '') === '') out.push(finding('k8s-dns-config-invalid', [...p, 'options', i], 'a DNS option needs a name'));
  });
  return out;
}
