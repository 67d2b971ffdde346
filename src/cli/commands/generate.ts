import { inputsFromArgoEnv } from '../../load/argoEnv';
import { parseArgs, UsageError } from '../args';
import type { CommandSpec } from '../commandSpec';
import { appDir } from '../io';
import { renderAndPrint } from '../renderAndPrint';

export const generate: CommandSpec = {
  name: 'generate',
  args: '',
  summary: 'Argo CD: render "." from the plugin environment',
  details: 'Reads only Argo CD\'s inputs: ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE, KUBE_VERSION, KUBE_API_VERSIONS, ARGOCD_ENV_HABITAT_ENV, ARGOCD_APP_PARAMETERS (else PARAM_*).',
  flags: [],
  async run(argv, io) {
    if (parseArgs(argv, {}).positionals.length) throw new UsageError('generate takes no arguments; it renders the current directory');
    const { inputs, diagnostics } = inputsFromArgoEnv(io.env);
    return renderAndPrint(appDir(undefined, io), inputs, 'yaml', io, diagnostics);
  },
};
