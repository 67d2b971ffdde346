import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appNameFromArgo, inputsFromArgoEnv, resolveWorkloadValues } from '../../src/load/argoEnv';

test('ARGOCD_APP_NAME <ns>_<name> gives the part after "_"', () => {
  assert.is(appNameFromArgo('team-a_shop'), 'shop');
  assert.is(appNameFromArgo('shop'), 'shop');
});

test('parameters win over ARGOCD_ENV_HABITAT_ENV; JSON first', () => {
  const { inputs, diagnostics } = inputsFromArgoEnv({
    ARGOCD_ENV_HABITAT_ENV: 'staging',
    ARGOCD_APP_PARAMETERS: '[{"name":"environment","string":"prod"},{"map":{"web":"3"},"name":"counts"}]',
    PARAM_ENVIRONMENT: 'prod',
    PARAM_COUNTS_WEB: '3',
    ARGOCD_APP_NAMESPACE: 'shop',
    KUBE_VERSION: '1.29.3',
    KUBE_API_VERSIONS: 'v1,apps/v1,bitnami.com/v1alpha1',
  });
  assert.equal(diagnostics, []);
  assert.equal(inputs, { namespace: 'shop', kubeVersion: '1.29.3', apiVersions: ['v1', 'apps/v1', 'bitnami.com/v1alpha1'], environment: 'prod', counts: { named: new Map([['web', '3']]), escaped: new Map() } });
});

test('only ARGOCD_ENV_HABITAT_ENV selects the environment when no parameter does', () => {
  assert.is(inputsFromArgoEnv({ ARGOCD_ENV_HABITAT_ENV: 'staging', ARGOCD_APP_PARAMETERS: 'null' }).inputs.environment, 'staging');
});

test('PARAM_* alone (no JSON) are read, with escaped workload names resolved', () => {
  const { inputs } = inputsFromArgoEnv({ PARAM_IMAGES_WEB_APP: 'nginx:1', PARAM_ENVIRONMENT: 'prod' });
  assert.is(inputs.environment, 'prod');
  const r = resolveWorkloadValues(inputs.images!, ['db', 'web-app']);
  assert.equal(r, { resolved: new Map([['web-app', 'nginx:1']]), unknown: [] });
});

test('no in-band marker: a parameter map key starting with NUL is a workload name like any other, never an escaped PARAM_* name', () => {
  const { inputs } = inputsFromArgoEnv({ ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'images', map: { '\u0000WEB': 'evil/image:1' } }]) });
  const r = resolveWorkloadValues(inputs.images!, ['web']);
  assert.equal(r, { resolved: new Map([['\u0000WEB', 'evil/image:1']]), unknown: [] });
  assert.not.ok(r.resolved.has('web'));
});

test('an explicit empty environment parameter selects the base over HABITAT_ENV', () => {
  assert.is(inputsFromArgoEnv({ ARGOCD_ENV_HABITAT_ENV: 'prod', ARGOCD_APP_PARAMETERS: '[{"name":"environment","string":""}]' }).inputs.environment, undefined);
  assert.is(inputsFromArgoEnv({ ARGOCD_ENV_HABITAT_ENV: 'prod', PARAM_ENVIRONMENT: '' }).inputs.environment, undefined);
});

test('with ARGOCD_APP_PARAMETERS present, PARAM_* are not read again (no double reports)', () => {
  const r = inputsFromArgoEnv({ ARGOCD_APP_PARAMETERS: '[{"name":"replicas","string":"3"}]', PARAM_REPLICAS: '3' });
  assert.equal(r.diagnostics.map((d) => d.code), ['param-unknown']);
});

test('unknown parameters and bad JSON are errors', () => {
  assert.equal(inputsFromArgoEnv({ ARGOCD_APP_PARAMETERS: '[{"name":"replicas","string":"3"}]' }).diagnostics.map((d) => d.code), ['param-unknown']);
  assert.equal(inputsFromArgoEnv({ ARGOCD_APP_PARAMETERS: '[{' }).diagnostics.map((d) => d.code), ['param-json-invalid']);
  assert.equal(inputsFromArgoEnv({ PARAM_REPLICAS: '3' }).diagnostics.map((d) => d.code), ['param-unknown']);
  assert.equal(inputsFromArgoEnv({ ARGOCD_APP_PARAMETERS: '[{"name":"images","string":"x"}]' }).diagnostics.map((d) => d.code), ['param-type']);
});

test.run();
