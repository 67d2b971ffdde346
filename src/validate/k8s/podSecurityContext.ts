import { finding, type FieldPath, type Finding } from './finding';
import { dns1123SubdomainProblem, sysctlNameProblem, utf8Length } from './formats';
import { asList, asNum, asObj, asStr, q } from './untyped';

const code = 'k8s-security-context-invalid' as const;
const MAX_ID = 2 ** 31 - 1;

/** IsValidUserID / IsValidGroupID: what libcontainer accepts, 0 to 2^31-1. */
function idProblem(v: unknown, p: FieldPath, what: string): Finding[] {
  const n = asNum(v);
  if (n === undefined || (n >= 0 && n <= MAX_ID)) return [];
  return [finding(code, p, `${what} ${q(v)} is out of range`, { hint: `use 0 to ${MAX_ID}` })];
}

/** validateLocalDescendingPath: relative, and no ".." segment. */
function localDescendingPathProblem(v: string): string | undefined {
  if (v.startsWith('/')) return 'must be a relative path';
  if (v.split('/').includes('..')) return 'must not contain ".."';
  return undefined;
}

const PROFILE_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];

function profileType(type: string, p: FieldPath, what: string): Finding[] {
  if (type === '') return [finding(code, [...p, 'type'], `${what} profile needs a type`, { hint: `use ${PROFILE_TYPES.join(', ')}` })];
  if (!PROFILE_TYPES.includes(type)) return [finding(code, [...p, 'type'], `${what} profile type ${q(type)} is not supported`, { hint: `use ${PROFILE_TYPES.join(', ')}` })];
  return [];
}

/** validateSeccompProfileField. */
function seccompProfile(raw: unknown, p: FieldPath): Finding[] {
  const sp = asObj(raw);
  if (!sp) return [];
  const type = asStr(sp.type) ?? '';
  const local = asStr(sp.localhostProfile);
  const out = profileType(type, p, 'seccomp');
  if (type === 'Localhost') {
    if (local === undefined) out.push(finding(code, [...p, 'localhostProfile'], 'a Localhost seccomp profile needs localhostProfile'));
    else {
      const lp = localDescendingPathProblem(local);
      if (lp) out.push(finding(code, [...p, 'localhostProfile'], `seccomp localhostProfile ${q(local)} ${lp}`));
    }
  } else if (local !== undefined) out.push(finding(code, [...p, 'localhostProfile'], 'localhostProfile is only for seccomp type Localhost'));
  return out;
}

/** ValidateAppArmorProfileField. */
function appArmorProfile(raw: unknown, p: FieldPath): Finding[] {
  const ap = asObj(raw);
  if (!ap) return [];
  const type = asStr(ap.type) ?? '';
  const local = asStr(ap.localhostProfile);
  const out = profileType(type, p, 'AppArmor');
  if (type === 'Localhost') {
    if (local === undefined) out.push(finding(code, [...p, 'localhostProfile'], 'a Localhost AppArmor profile needs localhostProfile'));
    else if (local.trim() !== local) out.push(finding(code, [...p, 'localhostProfile'], 'AppArmor localhostProfile must not be padded with whitespace'));
    else if (local === '') out.push(finding(code, [...p, 'localhostProfile'], 'a Localhost AppArmor profile needs localhostProfile'));
    if (local !== undefined && utf8Length(local) > 4095) out.push(finding(code, [...p, 'localhostProfile'], 'AppArmor localhostProfile is longer than 4095 bytes'));
  } else if ((type === 'RuntimeDefault' || type === 'Unconfined') && local !== undefined) {
    out.push(finding(code, [...p, 'localhostProfile'], 'localhostProfile is only for AppArmor type Localhost'));
  }
  return out;
}

/** validateWindowsSecurityContextOptions, and validateWindowsHostProcessPod for the one container habitat-cmp renders. */
function windowsOptions(raw: unknown, p: FieldPath): Finding[] {
  const w = asObj(raw);
  if (!w) return [];
  const out: Finding[] = [];
  const specName = asStr(w.gmsaCredentialSpecName);
  if (specName !== undefined) {
    const np = dns1123SubdomainProblem(specName);
    if (np) out.push(finding(code, [...p, 'gmsaCredentialSpecName'], `gmsaCredentialSpecName ${q(specName)} ${np}`));
  }
  const spec = asStr(w.gmsaCredentialSpec);
  if (spec !== undefined && (spec.length === 0 || utf8Length(spec) > 64 * 1024)) out.push(finding(code, [...p, 'gmsaCredentialSpec'], 'gmsaCredentialSpec must be from 1 byte to 64 KiB'));
  const user = asStr(w.runAsUserName);
  if (user !== undefined) {
    const parts = user.split('\\');
    const name = parts[parts.length - 1]!;
    const domain = parts.length === 2 ? parts[0]! : '';
    const problem =
      user.length === 0 ? 'must not be empty'
      : /[\u0000-\u001f\u007f]/.test(user) ? 'must not contain control characters'
      : parts.length > 2 ? 'must not contain more than one backslash'
      : domain.length >= 256 ? 'has a domain of 256 characters or more'
      : parts.length === 2 && !(/^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$/.test(domain) || /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(domain)) ? 'has a domain that is neither a NetBIOS nor a DNS name'
      : name.length === 0 ? 'has an empty user name'
      : name.length > 104 ? 'has a user name longer than 104 characters'
      : /^[. ]+$/.test(name) ? 'has a user name of only periods or spaces'
      : /["/\\:;|=,+*?<>@[\]]/.test(name) ? 'has a user name with one of "/\\:;|=,+*?<>@[]'
      : undefined;
    if (problem) out.push(finding(code, [...p, 'runAsUserName'], `runAsUserName ${q(user)} ${problem}`));
  }
  if (w.hostProcess === true) out.push(finding(code, [...p, 'hostProcess'], 'hostProcess containers need hostNetwork, which habitat-cmp pods do not use', { hint: 'remove windowsOptions.hostProcess' }));
  return out;
}

/** core validatePodSpecSecurityContext. */
export function validatePodSecurityContext(raw: unknown, path: FieldPath): Finding[] {
  const sc = asObj(raw);
  if (!sc) return [];
  const out: Finding[] = [
    ...idProblem(sc.fsGroup, [...path, 'fsGroup'], 'fsGroup'),
    ...idProblem(sc.runAsUser, [...path, 'runAsUser'], 'runAsUser'),
    ...idProblem(sc.runAsGroup, [...path, 'runAsGroup'], 'runAsGroup'),
    ...asList(sc.supplementalGroups).flatMap((g, i) => idProblem(g, [...path, 'supplementalGroups', i], 'supplemental group')),
  ];
  // validateSysctls
  const seen = new Set<string>();
  asList(sc.sysctls).forEach((raw2, i) => {
    const name = asStr(asObj(raw2)?.name) ?? '';
    const p = [...path, 'sysctls', i, 'name'];
    if (name === '') out.push(finding(code, p, 'a sysctl needs a name'));
    else {
      const np = sysctlNameProblem(name);
      if (np) out.push(finding(code, p, `sysctl name ${q(name)} ${np}`));
      else if (seen.has(name)) out.push(finding(code, p, `sysctl ${q(name)} is listed twice`));
    }
    seen.add(name);
  });
  const enumOf = (f: string, values: string[]) => {
    if (sc[f] !== undefined && !values.includes(String(sc[f]))) out.push(finding(code, [...path, f], `${f} ${q(sc[f])} is not supported`, { hint: `use ${values.join(' or ')}` }));
  };
  enumOf('fsGroupChangePolicy', ['OnRootMismatch', 'Always']); // validateFSGroupChangePolicy
  enumOf('supplementalGroupsPolicy', ['Merge', 'Strict']); // validateSupplementalGroupsPolicy
  enumOf('seLinuxChangePolicy', ['Recursive', 'MountOption']); // validateSELinuxChangePolicy
  out.push(
    ...seccompProfile(sc.seccompProfile, [...path, 'seccompProfile']),
    ...appArmorProfile(sc.appArmorProfile, [...path, 'appArmorProfile']),
    ...windowsOptions(sc.windowsOptions, [...path, 'windowsOptions']),
  );
  return out;
}
