/**
 * Shared pieces of the import tests: where the operator's examples live (CI
 * has ../shared beside the clone), running `import` and `render` through the
 * built CLI, and reading manifests the way a test oracle should: with the
 * `yaml` library and Buffer, not with src/import.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cli, ROOT, type CliResult } from '../helpers/cli';
import { tmp } from '../seal/helpers';

export const EXAMPLES = join(ROOT, '../shared/reference/habitat-operator-v0.8.1/examples');
export const GOLDEN = join(ROOT, 'test/import/golden');

export type K8s = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels: Record<string, string> }; [k: string]: any };

/** The example's manifest files, as a user would pass them (sorted). */
export const exampleFiles = (example: string): string[] =>
  readdirSync(join(EXAMPLES, example)).filter((f) => f.endsWith('.yml')).sort().map((f) => join(EXAMPLES, example, f));

/** Every object of a manifest file, read independently of src/import. */
export function manifestObjects(file: string): K8s[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as K8s).filter((o) => o !== null);
}

export interface Imported {
  dir: string;
  run: CliResult;
  habitatYaml: string;
  /** Codes of the diagnostics on stderr, in order. */
  codes: string[];
}

export const codesOf = (stderr: string): string[] => [...stderr.matchAll(/ \[([a-z0-9-]+)\]$/gm)].map((m) => m[1]!);

export function importToDir(files: string[], args: string[] = [], dir = join(tmp('habitat-cmp-import-'), 'app')): Imported {
  const run = cli(['import', ...files, '--out', dir, ...args]);
  const habitatYaml = existsSync(join(dir, 'habitat.yaml')) ? readFileSync(join(dir, 'habitat.yaml'), 'utf8') : '';
  return { dir, run, habitatYaml, codes: codesOf(run.stderr) };
}

export function render(dir: string, args: string[] = []): { run: CliResult; objects: K8s[] } {
  const run = cli(['render', dir, ...args]);
  return { run, objects: run.status === 0 ? parseAllDocuments(run.stdout).map((d) => d.toJS() as K8s) : [] };
}

export const find = (objects: K8s[], kind: string, name: string): K8s => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
};

export const container = (sts: K8s) => sts.spec.template.spec.containers[0];
export const envOf = (sts: K8s): Record<string, any> => Object.fromEntries(container(sts).env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

/** Sealed values differ on every run; goldens hold a placeholder. */
export const maskSealed = (text: string) => text.replace(/^(\s+[\w.-]+: )[A-Za-z0-9+/]{100,}={0,2}$/gm, '$1<sealed>');
