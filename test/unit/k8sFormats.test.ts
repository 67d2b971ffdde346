import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configMapKeyProblem, dns1123SubdomainWithUnderscoreProblem, envVarNameProblem, ipAddressProblem, sysctlNameProblem, utf8Length } from '../../src/validate/k8s/formats';
import { kubeRules } from '../../src/validate/k8s/kubeRules';
import { compareQuantity, parseQuantity, scaledValue, type Quantity } from '../../src/validate/k8s/quantity';

const Q = (s: string): Quantity => {
  const q = parseQuantity(s);
  if (!q) throw new Error(`${s} did not parse`);
  return q;
};
/** Exact decimal text of a quantity, for readable assertions. */
const dec = (q: Quantity): string => {
  const digits = q.m.toString();
  const s = q.e >= 0 ? digits + '0'.repeat(q.e) : digits.length > -q.e ? `${digits.slice(0, q.e)}.${digits.slice(q.e)}` : `0.${'0'.repeat(-q.e - digits.length)}${digits}`;
  return (q.negative && q.m !== 0n ? '-' : '') + s;
};

test('quantities parse exactly, like resource.ParseQuantity', () => {
  assert.is(dec(Q('100m')), '0.100');
  assert.is(dec(Q('1Gi')), String(2 ** 30));
  assert.is(dec(Q('1.5Gi')), '1610612736.0');
  assert.is(dec(Q('2k')), '2000');
  assert.is(dec(Q('1E')), '1000000000000000000');
  assert.is(dec(Q('1e3')), '1000');
  assert.is(dec(Q('1E3')), '1000');
  assert.is(dec(Q('1.5e-3')), '0.0015');
  assert.is(dec(Q('-1')), '-1');
  assert.is(dec(Q('+7')), '7');
  assert.is(dec(Q('0.5')), '0.5');
  assert.is(dec(Q('1.')), '1');
  // Rounded up to 1n (10^-9), never down to zero.
  assert.is(dec(Q('0.1n')), '0.000000001');
  assert.is(dec(Q('1e-20')), '0.000000001');
  // Binary values are capped at 2^63-1.
  assert.is(dec(Q('16Ei')), String((1n << 63n) - 1n));
  // 9007199254740993 is not a double; it must survive.
  assert.is(dec(Q('9007199254740993')), '9007199254740993');
});

test('quantities the API server refuses do not parse', () => {
  for (const s of ['', '1x', '1e', '1e+', '1Ki5', '1.2.3', '1 Gi', '1K', '1kk', '1ei', '1e99999999999']) assert.is(parseQuantity(s), undefined, s);
  assert.is(parseQuantity('Ki')?.m, 0n, 'the scanner reads a lone suffix as 0');
});

test('quantities compare exactly, also at absurd exponents', () => {
  const cmp = (a: string, b: string) => compareQuantity(Q(a), Q(b));
  assert.is(cmp('1', '1000m'), 0);
  assert.is(cmp('1.5', '1500m'), 0);
  assert.is(cmp('1Gi', '1G'), 1);
  assert.is(cmp('100m', '0.1'), 0);
  assert.is(cmp('-1', '0'), -1);
  assert.is(cmp('-2', '-1'), -1);
  assert.is(cmp('9007199254740993', '9007199254740992'), 1);
  assert.is(cmp('1e2000000000', '1e1999999999'), 1);
  assert.is(cmp('1e-2000000000', '0'), 1);
});

test('scaledValue rounds up like MilliValue and Value', () => {
  assert.is(scaledValue(Q('0.0001'), -3), 1n);
  assert.is(scaledValue(Q('1.0000001'), -3), 1001n);
  assert.is(scaledValue(Q('2'), -3), 2000n);
  assert.is(scaledValue(Q('1.5'), 0), 2n);
  assert.is(scaledValue(Q('1e30'), 0), undefined, 'beyond int64');
});

test('environment variable names: strict before 1.32, relaxed from 1.32', () => {
  for (const ok of ['FOO', 'my.env-name', '_x', 'a1']) assert.is(envVarNameProblem(ok, false), undefined, ok);
  for (const bad of ['1FOO', 'A=B', 'a b', '.', '..', '..x', '', 'é']) assert.ok(envVarNameProblem(bad, false), bad);
  for (const ok of ['1FOO', 'a b', '.', '..x', 'A:B!']) assert.is(envVarNameProblem(ok, true), undefined, ok);
  for (const bad of ['A=B', '', 'é', 'tab\there']) assert.ok(envVarNameProblem(bad, true), bad);
  assert.is(kubeRules('1.31.9').relaxedEnvNames, false);
  assert.is(kubeRules('1.32.0').relaxedEnvNames, true);
  assert.is(kubeRules('v1.33.2+k3s1').relaxedDnsSearch, true);
  assert.is(kubeRules('1.32.0').relaxedDnsSearch, false);
  assert.equal(kubeRules(undefined), { describe: 'current Kubernetes (KUBE_VERSION unset)', relaxedEnvNames: true, relaxedDnsSearch: true });
  assert.is(kubeRules('2.0').relaxedEnvNames, true);
});

test('ConfigMap keys, sysctl names, DNS names with underscores', () => {
  for (const ok of ['user.toml', 'a-b_c', '.hidden']) assert.is(configMapKeyProblem(ok), undefined, ok);
  for (const bad of ['a b', 'a/b', '.', '..', '..a', 'x'.repeat(254)]) assert.ok(configMapKeyProblem(bad), bad);
  for (const ok of ['net.ipv4.tcp_syncookies', 'kernel/shm_rmid_forced', 'a']) assert.is(sysctlNameProblem(ok), undefined, ok);
  for (const bad of ['Net.ipv4', 'a..b', '-a', 'a.']) assert.ok(sysctlNameProblem(bad), bad);
  for (const ok of ['_dmarc.example.com', 'a_b.c']) assert.is(dns1123SubdomainWithUnderscoreProblem(ok), undefined, ok);
  for (const bad of ['a_', 'A.b', 'a..b']) assert.ok(dns1123SubdomainWithUnderscoreProblem(bad), bad);
  assert.is(utf8Length('aé€😀'), 1 + 2 + 3 + 4);
});

test('IP addresses as ParseIPSloppy reads them', () => {
  for (const ok of ['10.9.8.7', '010.009.008.007', '2001:db8::ffff', '::', '::1', '1::', 'fe80::1:2:3:4:5:6', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4']) {
    assert.is(ipAddressProblem(ok), undefined, ok);
  }
  for (const bad of ['1.2.3.256', '1.2.3', 'a.b.c.d', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', ':1::2', '1::2:', '12345::', '1:2:3:4:5:6:7:1.2.3.4', 'not-an-ip', '']) {
    assert.ok(ipAddressProblem(bad), bad);
  }
});

test.run();
