import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { error } from '../../diag/diagnostic';
import { isPlainObject } from '../../model/deepMerge';
import { setYamlString } from '../../seal/editHabitatYaml';
import { sealValue } from '../../seal/hybridEncrypt';
import { newRingKey, RING_NAME } from '../../seal/ringKey';
import { isSealingScope, scopeLabel, SEALING_SCOPES } from '../../seal/scopeLabel';
import { parseArgs, UsageError } from '../args';
import { EXIT_OK, isDiagnostics, loadApp, loadCertificate, Reporter, resolveTarget, tryWriteInPlace, usage, type SealIO } from './sealSupport';

const SYNOPSIS = 'habitat-cmp ring-key [DIR] [--name RING] [--cert FILE] [--scope S] [--namespace NS]';
const FLAGS = { name: 'string', cert: 'string', scope: 'string', namespace: 'string' } as const;

/**
 * `--name` names the ring; like render's `--name` it is also the app name
 * when metadata.name is absent, so one flag value means the same app in
 * both commands. The key itself is never printed, only `<ring>-<revision>`.
 */
export async function run(argv: string[], io: SealIO): Promise<number> {
  let flags: Record<string, string | boolean>;
  let positionals: string[];
  try {
    ({ flags, positionals } = parseArgs(argv, FLAGS));
  } catch (e) {
    if (e instanceof UsageError) return usage(io, 'ring-key', e.message, SYNOPSIS);
    throw e;
  }
  if (positionals.length > 1) return usage(io, 'ring-key', 'ring-key takes at most one directory', SYNOPSIS);
  const ringFlag = flags.name as string | undefined;
  if (ringFlag !== undefined && !RING_NAME.test(ringFlag)) return usage(io, 'ring-key', '--name must be a ring name of letters, digits, "_" and "-"', SYNOPSIS);
  const scope = flags.scope as string | undefined;
  if (scope !== undefined && !isSealingScope(scope)) return usage(io, 'ring-key', `--scope must be one of ${SEALING_SCOPES.join(', ')}`, SYNOPSIS);
  const dirArg = positionals[0] ?? '.';
  const dir = resolve(io.cwd, dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return usage(io, 'ring-key', `${dirArg} is not a directory`, SYNOPSIS);

  const reporter = new Reporter(io);
  const loaded = loadApp(io, dirArg, reporter);
  if (isDiagnostics(loaded)) return reporter.fail(loaded);
  const target = resolveTarget(loaded, {
    ...(ringFlag !== undefined ? { name: ringFlag } : {}),
    ...(typeof flags.namespace === 'string' ? { namespace: flags.namespace } : {}),
    ...(scope !== undefined ? { scope } : {}),
  });
  if (isDiagnostics(target)) return reporter.fail(target);
  const ring = ringFlag ?? target.appName;
  if (!RING_NAME.test(ring)) {
    return reporter.fail([error('ring-name-invalid', `the app name "${ring}" is not a valid ring name (letters, digits, "_" and "-")`, undefined, 'pass --name RING')]);
  }

  const now = new Date();
  const publicKey = loadCertificate(loaded, target, flags.cert as string | undefined, io, now);
  if (isDiagnostics(publicKey)) return reporter.fail(publicKey);

  const key = newRingKey(ring, now);
  const secretName = `${target.appName}-ring-key`;
  const sealed = sealValue(publicKey, Buffer.from(key.content, 'utf8'), scopeLabel(target.scope, { ...target, name: secretName }));
  const replacing = isPlainObject(loaded.app.ring) && loaded.app.ring.sealedKey !== undefined;
  // The documented order of habitat.yaml: metadata, ring, sealing, services, environments.
  const edit = setYamlString(loaded.text, ['ring', 'sealedKey'], sealed, { before: ['sealing', 'services', 'environments'] });
  if (!edit.ok) return reporter.fail([error('ring-key-edit-failed', edit.message, { file: loaded.file, offset: edit.offset }, 'set ring.sealedKey by hand')]);
  const written = tryWriteInPlace(loaded, edit.text);
  if (written.length) return reporter.fail(written);
  const where = target.scope === 'cluster-wide' ? secretName : `${target.namespace}/${secretName}`;
  io.stdout(
    `ring ${ring}, revision ${key.revision} (${key.namedRevision})\n` +
      `${replacing ? 'replaced' : 'wrote'} ring.sealedKey in ${loaded.file} for SealedSecret ${where} (${target.scope} scope)\n` +
      (replacing ? 'the pods roll to the new key on the next sync; all Supervisors of the ring switch together\n' : ''),
  );
  return EXIT_OK;
}
