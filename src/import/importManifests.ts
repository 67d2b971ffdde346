import { error, warning, type Diagnostic } from '../diag/diagnostic';
import type { Source } from '../load/decodeText';
import { writeToml } from '../render/toml';
import { scopeLabel } from '../seal/scopeLabel';
import type { ImportedApp } from './importedApp';
import { parseManifests, type ManifestObject } from './parseManifests';
import { planApps, type ImportOptions } from './planApps';
import { sealableConfig } from './sealableConfig';
import { writeHabitatYaml } from './writeHabitatYaml';

/** Seals `plaintext` for the Sealed Secrets controller under `label` (see scopeLabel). */
export type Sealer = (plaintext: string, label: string) => string;

export interface ImportRequest extends ImportOptions {
  /** Seal user.toml values key by key instead of writing a clear configFile. */
  sealConfig: boolean;
}

export interface OutputFile {
  /** Relative to the app directory. */
  path: string;
  text: string;
  /** The Secret whose content is in this file in clear, if any. */
  secret?: string;
}

export interface ImportedAppFiles {
  app: ImportedApp;
  /** habitat.yaml first. */
  files: OutputFile[];
}

export interface ImportResult {
  apps: ImportedAppFiles[];
  diagnostics: Diagnostic[];
  sources: Map<string, Source>;
}

/**
 * Habitat Operator manifests -> habitat.yaml (+ configFiles), one entry per
 * app. Pure: inputs are texts, sealing is the injected `seal` (none when no
 * certificate was given), and the same input gives the same bytes apart from
 * the randomised ciphertext.
 */
export function importManifests(inputs: readonly { file: string; text: string }[], req: ImportRequest, seal?: Sealer): ImportResult {
  const sources = new Map<string, Source>();
  const diagnostics: Diagnostic[] = [];
  const objects: ManifestObject[] = [];
  for (const input of inputs) {
    const parsed = parseManifests(input.text, input.file, objects.length);
    sources.set(input.file, { file: input.file, text: input.text, redact: parsed.redact });
    diagnostics.push(...parsed.diagnostics);
    objects.push(...parsed.objects);
  }
  const fileOrder = new Map(inputs.map((x, i) => [x.file, i]));
  const done = (apps: ImportedAppFiles[]): ImportResult => {
    // Report in reading order: file by file, top to bottom; errors and warnings mixed.
    const rank = (x: Diagnostic) => [x.file === undefined ? -1 : fileOrder.get(x.file) ?? -1, x.offset ?? -1] as const;
    const sorted = diagnostics.map((x, i) => [x, i] as const).sort(([a, i], [b, j]) => {
      const [fa, oa] = rank(a);
      const [fb, ob] = rank(b);
      return fa - fb || oa - ob || i - j;
    });
    return { apps, diagnostics: sorted.map(([x]) => x), sources };
  };
  if (diagnostics.some((x) => x.severity === 'error')) return done([]);

  const plan = planApps(objects, req);
  diagnostics.push(...plan.diagnostics);
  if (diagnostics.some((x) => x.severity === 'error')) return done([]);

  const cache = new Map<string, string>();
  const sealOnce = (plaintext: string, label: string, cacheKey: string): string => {
    // Apps of one ring (--split, namespace-wide scope) share one ciphertext of their key.
    const k = JSON.stringify([cacheKey, label]);
    let v = cache.get(k);
    if (v === undefined) cache.set(k, (v = seal!(plaintext, label)));
    return v;
  };
  const apps: ImportedAppFiles[] = [];
  for (const app of plan.apps) {
    const needsSeal = app.ringKey !== undefined || (req.sealConfig && app.workloads.some((w) => w.config));
    if (needsSeal) {
      const first = app.workloads[0]!.habitat;
      const why = app.ringKey ? `the ring key (Secret ${app.ringKey.secret})` : 'user.toml values (--seal-config)';
      const at = app.ringKey ? first.obj.at([...first.base, 'service', 'ringSecretName']) : first.obj.at(['metadata', 'name']);
      if (!seal) {
        diagnostics.push(error('import-cert-required', `${why} must be sealed, and no certificate was given`, at, 'pass --cert FILE with the Sealed Secrets controller\'s certificate (kubeseal --fetch-cert > cert.pem)'));
        continue;
      }
      if (app.scope !== 'cluster-wide' && app.namespace === undefined) {
        diagnostics.push(error('import-namespace-required', `${why}: sealing for ${app.scope} scope needs a namespace, and the Habitats name none`, at, 'pass --namespace NS (where the app will run), or --scope cluster-wide'));
        continue;
      }
      if (app.ringKey && app.scope === 'strict' && app.name === undefined) {
        diagnostics.push(error('import-name-required', 'the ring key is sealed for SealedSecret <app>-ring-key, and the app has no name yet', at, 'pass --name APP (the Argo CD Application name)'));
        continue;
      }
    }
    const target = (name: string) => scopeLabel(app.scope, { ...(app.namespace !== undefined ? { namespace: app.namespace } : {}), name });
    const ringSealedKey = app.ringKey ? sealOnce(app.ringKey.content, target(`${app.name}-ring-key`), JSON.stringify(['ring', app.namespace ?? '', app.ringKey.secret])) : undefined;

    const secrets = new Map<string, [string, string][]>();
    const configFiles = new Map<string, string>();
    const files = new Map<string, OutputFile>();
    for (const w of app.workloads) {
      if (!w.config) continue;
      const file = `${w.config.secret}.toml`;
      const where = w.habitat.obj.at([...w.habitat.base, 'service', 'configSecretName']);
      if (!req.sealConfig) {
        files.set(file, { path: file, text: clearHeader(w.config.secret) + w.config.text + (w.config.text.endsWith('\n') ? '' : '\n'), secret: w.config.secret });
        configFiles.set(w.name, file);
        diagnostics.push(warning('import-config-in-clear', `Habitat ${w.name}: user.toml of Secret ${w.config.secret} goes in clear to configFile ${file}`, where, 'it came from a Secret: seal secret values (habitat-cmp seal) before committing, or import with --seal-config --cert FILE'));
        continue;
      }
      const split = sealableConfig(w.config.table);
      secrets.set(w.name, split.sealable.map(([path, v]) => [path, seal!(v, target(`${w.name}-config`))] as [string, string]));
      if (split.kept.length) {
        files.set(file, { path: file, text: keptHeader(w.config.secret) + writeToml(split.rest), secret: w.config.secret });
        configFiles.set(w.name, file);
        diagnostics.push(warning('import-config-kept-clear', `Habitat ${w.name}: ${split.kept.join(', ')} of Secret ${w.config.secret} ${split.kept.length === 1 ? 'stays' : 'stay'} in clear in ${file}`, where, 'only non-empty strings can be sealed (a sealed value is always a TOML string); seal the others by hand if they are secret'));
      }
    }
    const habitatYaml = writeHabitatYaml(app, { ...(ringSealedKey !== undefined ? { ringSealedKey } : {}), secrets, configFiles });
    apps.push({ app, files: [{ path: 'habitat.yaml', text: habitatYaml }, ...[...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1))] });
  }
  return done(apps);
}

const clearHeader = (secret: string) =>
  `# user.toml of Secret ${secret}, imported by "habitat-cmp import". It is in clear\n` +
  '# here: move secret values into sealed `secrets` (habitat-cmp seal) before committing.\n';

const keptHeader = (secret: string) =>
  `# The part of Secret ${secret}'s user.toml that could not be sealed (sealed values\n` +
  '# are TOML strings); the rest of it is sealed in habitat.yaml.\n';
