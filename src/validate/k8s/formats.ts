/**
 * String formats from k8s.io/apimachinery pkg/util/validation and
 * pkg/api/validate/content that habitat-cmp's own src/validate/dnsNames.ts does
 * not already cover. Each returns why the value fails, or undefined. Lengths are
 * byte counts, like Go's len().
 */

/** UTF-8 byte length (Go's len of the string). */
export const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const LABEL_UNDERSCORE = '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_UNDERSCORE = new RegExp(`^${LABEL_UNDERSCORE}(\\.${LABEL_UNDERSCORE})*$`);

/** IsDNS1123Subdomain: object names of most kinds, class names, service account names, host aliases. */
export function dns1123SubdomainProblem(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (utf8Length(v) > 253) return `is ${utf8Length(v)} bytes long; the limit is 253`;
  if (!DNS1123_SUBDOMAIN.test(v)) return 'must be lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';
  return undefined;
}

/** IsDNS1123SubdomainWithUnderscore: DNS search domains once RelaxedDNSSearchValidation is on. */
export function dns1123SubdomainWithUnderscoreProblem(v: string): string | undefined {
  if (utf8Length(v) > 253) return `is ${utf8Length(v)} bytes long; the limit is 253`;
  if (!DNS1123_SUBDOMAIN_UNDERSCORE.test(v)) return 'must be lowercase letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

/** hasChDirPrefix, shared by IsConfigMapKey and IsEnvVarName. */
function chDirPrefixProblem(v: string): string | undefined {
  if (v === '.' || v === '..') return `must not be "${v}"`;
  if (v.startsWith('..')) return 'must not start with ".."';
  return undefined;
}

/** IsConfigMapKey: keys of ConfigMap and Secret data. */
export function configMapKeyProblem(v: string): string | undefined {
  if (utf8Length(v) > 253) return `is ${utf8Length(v)} bytes long; the limit is 253`;
  if (!/^[-._a-zA-Z0-9]+$/.test(v)) return 'may contain only letters, digits, "-", "_" and "."';
  return chDirPrefixProblem(v);
}

/**
 * IsEnvVarName (strict) or IsRelaxedEnvVarName: which one the API server uses
 * depends on the RelaxedEnvironmentVariableValidation feature gate.
 */
export function envVarNameProblem(v: string, relaxed: boolean): string | undefined {
  if (relaxed) {
    if (v.length === 0) return 'must not be empty';
    for (const ch of v) {
      const c = ch.codePointAt(0)!;
      if (c < 0x20 || c > 0x7e || ch === '=') return 'may contain only printable ASCII characters other than "="';
    }
    return undefined;
  }
  if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(v)) return 'may contain only letters, digits, "_", "-" and ".", and must not start with a digit';
  return chDirPrefixProblem(v);
}

/** IsValidSysctlName (core validation): dot- or slash-separated segments, at most 253 characters. */
export function sysctlNameProblem(v: string): string | undefined {
  const seg = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
  if (v.length > 253 || !new RegExp(`^(${seg}[\\./])*${seg}$`).test(v)) return 'must be lowercase segments of letters, digits, "-" and "_" separated by "." or "/", at most 253 characters';
  return undefined;
}

/**
 * IsValidIPForLegacyField without StrictIPCIDRValidation (alpha): what
 * netutils.ParseIPSloppy accepts, i.e. IPv4 octets may have leading zeros.
 */
export function ipAddressProblem(v: string): string | undefined {
  return isIPv4(v) || isIPv6(v) ? undefined : 'must be a valid IP address, e.g. 10.9.8.7 or 2001:db8::ffff';
}

const isIPv4 = (v: string): boolean => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
};

function isIPv6(v: string): boolean {
  let s = v;
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return false;
  const tail = s.slice(lastColon + 1);
  // A trailing dotted IPv4 address stands for the last two groups.
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (p: string): string[] => (p === '' ? [] : p.split(':'));
  const hex = (g: string) => /^[0-9A-Fa-f]{1,4}$/.test(g);
  if (halves.length === 1) return groups(s).length === 8 && groups(s).every(hex);
  const [a, b] = [groups(halves[0]!), groups(halves[1]!)];
  return a.every(hex) && b.every(hex) && a.length + b.length <= 7;
}

/** IsValidPercent: "<digits>%". */
export const isPercent = (v: string): boolean => /^[0-9]+%$/.test(v);
