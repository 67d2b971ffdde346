/** Why `name` is not a DNS-1035 label (RFC 1035: what Services and our workloads need), or undefined. */
export function dns1035Problem(name: string, maxLength: number): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > maxLength) return `is ${name.length} characters long; the limit is ${maxLength}`;
  if (/[A-Z]/.test(name)) return 'must be lowercase';
  if (!/^[a-z]/.test(name)) return 'must start with a lowercase letter';
  if (!/[a-z0-9]$/.test(name)) return 'must end with a letter or digit';
  if (!/^[a-z0-9-]+$/.test(name)) return 'may contain only lowercase letters, digits and "-"';
  return undefined;
}

/** DNS-1123 label (namespaces). */
export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length > 63) return `is ${name.length} characters long; the limit is 63`;
  if (/[A-Z]/.test(name)) return 'must be lowercase';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return 'must be lowercase letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

/** IANA service name, what Kubernetes requires of port names. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return `is ${name.length} characters long; the limit is 15`;
  if (!/^[a-z0-9-]+$/.test(name)) return 'may contain only lowercase letters, digits and "-"';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter';
  if (name.startsWith('-') || name.endsWith('-') || name.includes('--')) return 'must not start or end with "-" or contain "--"';
  return undefined;
}

/** Label keys: optional DNS prefix and a name of at most 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const i = key.lastIndexOf('/');
  const prefix = i >= 0 ? key.slice(0, i) : undefined;
  const name = i >= 0 ? key.slice(i + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix))) return 'has an invalid prefix';
  if (name.length === 0 || name.length > 63 || !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) return 'must be at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `is ${value.length} characters long; the limit is 63`;
  if (value !== '' && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value)) return 'must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}
