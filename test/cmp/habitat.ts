// Shared set-up for the conformance tests: the BUILT plugin behind the emulated
// sidecar, laid out as the Dockerfile lays out the image, and a Git-checkout-like
// repo holding the samples; plus `render` run the way a user previews locally.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CmpServer, type CmpServerOptions, type ManifestRequest } from './argocd-cmp';
import { readImage } from '../packaging/dockerfile';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUNDLE = join(ROOT, 'dist', 'habitat-cmp.cjs');

export function requireBuild(): void {
  if (!existsSync(BUNDLE)) throw new Error('dist/habitat-cmp.cjs is missing: run `npm run build` (npm test does)');
}

/** The image's files on this machine: COPY destinations -> build context, node -> this node. */
export function imageLayout(): { files: Record<string, string>; env: Record<string, string> } {
  const img = readImage(join(ROOT, 'Dockerfile'));
  const files: Record<string, string> = { '/usr/local/bin/node': process.execPath };
  for (const [dest, src] of Object.entries(img.files)) files[dest] = join(ROOT, src);
  return { files, env: img.env };
}

export const scratch = mkdtempSync(join(tmpdir(), 'habitat-cmp-conformance-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** A checkout: samples/ as in Git, plus extra app dirs a test adds. */
export function makeRepo(name = 'repo'): string {
  const repo = join(scratch, name);
  mkdirSync(repo, { recursive: true });
  cpSync(join(ROOT, 'samples'), join(repo, 'samples'), { recursive: true, verbatimSymlinks: true });
  return repo;
}

export function sampleNames(): string[] {
  return readdirSync(join(ROOT, 'samples'))
    .filter((d) => existsSync(join(ROOT, 'samples', d, 'habitat.yaml')))
    .sort();
}

export function server(opts: Partial<CmpServerOptions> = {}): CmpServer {
  requireBuild();
  const layout = imageLayout();
  return new CmpServer({
    pluginYaml: join(ROOT, 'plugin.yaml'),
    imageFiles: layout.files,
    // the sidecar's own env: the image's ENV on top of a PATH (nothing from this test process)
    sidecarEnv: { PATH: '/usr/local/bin:/usr/bin:/bin', ...layout.env },
    cmpWorkDir: join(scratch, `cmp-${Math.random().toString(36).slice(2)}`),
    ...opts,
  });
}

export const KUBE_VERSION = '1.29.3';
export const API_VERSIONS = ['v1', 'apps/v1', 'policy/v1', 'bitnami.com/v1alpha1', 'bitnami.com/v1alpha1/SealedSecret'];

/** A ManifestRequest as the repo-server would build it for an Application in `argocd`. */
export function request(path: string, over: Partial<ManifestRequest> = {}): ManifestRequest {
  return {
    appName: 'app',
    namespace: 'default',
    projectName: 'default',
    revision: '4f1c2b7d9e0a3c5b6d8e9f0a1b2c3d4e5f6a7b8c',
    repoURL: 'https://git.example.com/platform/apps.git',
    path,
    targetRevision: 'main',
    kubeVersion: KUBE_VERSION,
    apiVersions: API_VERSIONS,
    plugin: { name: 'habitat-v1' },
    ...over,
  };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs argv to completion (no shell, no stdin), collecting both outputs. */
export function spawnCollect(argv: string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const c = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    c.stdout.on('data', (b: Buffer) => out.push(b));
    c.stderr.on('data', (b: Buffer) => err.push(b));
    c.on('error', reject);
    c.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** `habitat-cmp ARGS` with nothing from Argo in the environment. */
export function cli(args: string[], cwd = ROOT): Promise<CliResult> {
  requireBuild();
  return spawnCollect([process.execPath, BUNDLE, ...args], cwd, { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp' });
}

/** `render DIR` with the flags that stand for the Argo inputs of `q`. */
export function renderFlags(q: ManifestRequest, env?: string): string[] {
  const name = q.appName.includes('_') ? q.appName.slice(q.appName.indexOf('_') + 1) : q.appName;
  const flags = ['--name', name, '--kube-version', KUBE_VERSION, '--api-versions', [...(q.apiVersions ?? [])].join(',')];
  if (q.namespace) flags.push('--namespace', q.namespace);
  if (env) flags.push('--env', env);
  return flags;
}
