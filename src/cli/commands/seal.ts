import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Document } from 'yaml';
import { resolve } from 'node:path';
import { error, warning, type Diagnostic } from '../../diag/diagnostic';
import { configCollision } from '../../model/configCollision';
import { isPlainObject } from '../../model/deepMerge';
import { SECRET_PATH_PATTERN } from '../../schema/habitatSchema';
import { setYamlString } from '../../seal/editHabitatYaml';
import { sealValue } from '../../seal/hybridEncrypt';
import { isSealingScope, scopeLabel, SEALING_SCOPES } from '../../seal/scopeLabel';
import { parseArgs, UsageError } from '../args';
import {
  EXIT_OK,
  isDiagnostics,
  loadApp,
  loadCertificate,
  offsetOf,
  readAll,
  Reporter,
  resolveTarget,
  usage,
  tryWriteInPlace,
  type SealIO,
} from './sealSupport';

const SYNOPSIS = 'habitat-cmp seal [DIR] --service W --key K [--raw] [--scope S] [--cert FILE] [--from-file F] [--name APP] [--namespace NS]';
const FLAGS = {
  service: 'string',
  key: 'string',
  raw: 'boolean',
  scope: 'string',
  cert: 'string',
  'from-file': 'string',
  name: 'string',
  namespace: 'string',
} as const;

const SECRET_KEY = new RegExp(SECRET_PATH_PATTERN);
const MAX_VALUE_BYTES = 1024 * 1024;


export async function run(argv: string[], io: SealIO): Promise<number> {
  let flags: Record<string, string | boolean>;
  let positionals: string[];
  try {
    ({ flags, positionals } = parseArgs(argv, FLAGS));
  } catch (e) {
    // An unknown "flag" may be the secret typed on the command line; name the valid flags instead of echoing it.
    if (e instanceof UsageError) return usage(io, 'seal', e.message.startsWith('unknown flag') ? `unknown flag; seal accepts ${Object.keys(FLAGS).map((f) => `--${f}`).join(', ')}` : e.message, SYNOPSIS);
    throw e;
  }
  // A stray positional may be the secret itself typed on the command line; never echo it.
  if (positionals.length > 1) return usage(io, 'seal', 'seal takes at most one directory; the value is read from stdin or --from-file, never from the command line', SYNOPSIS);
  const service = flags.service as string | undefined;
  const key = flags.key as string | undefined;
  if (service === undefined || key === undefined) return usage(io, 'seal', `${service === undefined ? '--service' : '--key'} is required`, SYNOPSIS);
  if (!SECRET_KEY.test(key)) return usage(io, 'seal', '--key must be a dotted TOML path of bare keys (letters, digits, "_", "-"), e.g. requirepass or auth.password', SYNOPSIS);
  const scope = flags.scope as string | undefined;
  if (scope !== undefined && !isSealingScope(scope)) return usage(io, 'seal', `--scope must be one of ${SEALING_SCOPES.join(', ')}`, SYNOPSIS);
  const dirArg = positionals[0] ?? '.';
  if (!isDirectory(resolve(io.cwd, dirArg))) return usage(io, 'seal', 'the DIR argument is not a directory (the value is read from stdin or --from-file, never from the command line)', SYNOPSIS);

  const reporter = new Reporter(io);
  const loaded = loadApp(io, dirArg, reporter);
  if (isDiagnostics(loaded)) return reporter.fail(loaded);
  const target = resolveTarget(loaded, {
    ...(typeof flags.name === 'string' ? { name: flags.name } : {}),
    ...(typeof flags.namespace === 'string' ? { namespace: flags.namespace } : {}),
    ...(scope !== undefined ? { scope } : {}),
  });
  if (isDiagnostics(target)) return reporter.fail(target);

  const services = isPlainObject(loaded.app.services) ? loaded.app.services : {};
  const workload = services[service];
  if (!isPlainObject(workload)) {
    const known = Object.keys(services).sort();
    return reporter.fail([
      error('seal-unknown-service', `--service ${service} is not a workload under services`, { file: loaded.file, offset: offsetOf(loaded.doc, ['services']) }, known.length ? `known workloads: ${known.join(', ')}` : 'habitat.yaml has no services'),
    ]);
  }
  const problems = collisions(workload, service, key, loaded);
  if (problems.length) return reporter.fail(problems);

  const publicKey = loadCertificate(loaded, target, flags.cert as string | undefined, io, new Date());
  if (isDiagnostics(publicKey)) return reporter.fail(publicKey);

  const fromFile = flags['from-file'] as string | undefined;
  let value: Buffer | 'too-large';
  if (fromFile !== undefined) {
    try {
      const abs = resolve(io.cwd, fromFile);
      if (statSync(abs).size > MAX_VALUE_BYTES) value = 'too-large';
      else value = readFileSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return reporter.fail([error('seal-value-unreadable', `--from-file ${fromFile} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'read failed'})`}`)]);
    }
  } else {
    if ((io.stdin as { isTTY?: boolean }).isTTY) io.stderr('Type the value, then press Ctrl-D (it is not echoed anywhere by habitat-cmp):\n');
    value = await readAll(io.stdin, MAX_VALUE_BYTES);
  }
  if (value === 'too-large') return reporter.fail([error('seal-value-too-large', `the value is larger than ${MAX_VALUE_BYTES} bytes`)]);
  if (value.length === 0) return reporter.fail([error('seal-value-empty', `the value ${fromFile !== undefined ? `in ${fromFile}` : 'on stdin'} is empty`, undefined, 'pipe it in, e.g. printf %s "$PASSWORD" | habitat-cmp seal ...')]);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(value);
  } catch {
    // The controller hands values to the template as Go strings and toJson would replace invalid bytes.
    return reporter.fail([error('seal-value-not-utf8', 'the value is not valid UTF-8; user.toml strings must be UTF-8', undefined, 'base64-encode binary values and decode them in the service')]);
  }
  if (value.includes(0x7f)) {
    // Go's json.Marshal (toJson in the template) leaves DEL unescaped, and TOML forbids it raw in a string.
    return reporter.fail([error('seal-value-del', 'the value contains the control character U+007F (DEL), which cannot be written into user.toml', undefined, 'remove it, or base64-encode the value and decode it in the service')]);
  }
  const notes: Diagnostic[] = [];
  if (value[value.length - 1] === 0x0a) {
    notes.push(warning('seal-value-trailing-newline', 'the value ends with a line break, which is sealed as part of it', undefined, 'if that is not intended, pipe it with printf %s instead of echo'));
  }

  const secretName = `${service}-config`;
  const sealed = sealValue(publicKey, value, scopeLabel(target.scope, { ...target, name: secretName }));
  value.fill(0);
  if (notes.length) reporter.warn(notes);
  if (flags.raw === true) {
    io.stdout(sealed);
    return EXIT_OK;
  }

  const edit = setYamlString(loaded.text, ['services', service, 'secrets', key], sealed);
  if (!edit.ok) return reporter.fail([error('seal-edit-failed', edit.message, { file: loaded.file, offset: edit.offset }, 'use --raw and paste the value yourself')]);
  const written = tryWriteInPlace(loaded, edit.text);
  if (written.length) return reporter.fail(written);
  const where = target.scope === 'cluster-wide' ? secretName : `${target.namespace}/${secretName}`;
  io.stdout(`sealed services.${service}.secrets.${key} in ${loaded.file} for SealedSecret ${where} (${target.scope} scope)\n`);
  return EXIT_OK;
}

function isDirectory(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** user.toml must stay valid: the key may not overlap plain config or another sealed key. */
function collisions(workload: Record<string, unknown>, service: string, key: string, loaded: { file: string; doc: Document }): Diagnostic[] {
  const path = key.split('.');
  const out: Diagnostic[] = [];
  const hit = configCollision(workload.config, path);
  if (hit !== undefined) {
    out.push(error('seal-config-collision', `services.${service}.config already sets "${hit}", which overlaps the sealed key "${key}"`, { file: loaded.file, offset: offsetOf(loaded.doc, ['services', service, 'config', ...path]) }, 'remove the plain value from config, or seal under another key'));
  }
  const secrets = isPlainObject(workload.secrets) ? Object.keys(workload.secrets) : [];
  for (const other of secrets) {
    if (other !== key && (other.startsWith(key + '.') || key.startsWith(other + '.'))) {
      out.push(error('seal-secret-collision', `sealed keys "${other}" and "${key}" overlap: one is a table that holds the other`, { file: loaded.file, offset: offsetOf(loaded.doc, ['services', service, 'secrets', other]) }));
    }
  }
  return out;
}
