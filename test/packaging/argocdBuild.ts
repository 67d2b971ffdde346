// Builds argocd/ with the real `kubectl kustomize` against the real Argo CD
// install: the kustomization's remote install resource is swapped for the same
// file from ../shared/reference (CI has ../shared beside the clone), nothing
// else changes. Shared by the packaging and ApplicationSet tests.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { parse, stringify } from 'yaml';
import { kubeTools } from '../../scripts/kube-tools.mjs';

type Obj = Record<string, any>;

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARGOCD_VERSION = 'v3.5.1';
export const REFERENCE = join(ROOT, '..', 'shared', 'reference', `argocd-${ARGOCD_VERSION}`);

/** sha256 of manifests/install.yaml and manifests/ha/install.yaml at argoproj/argo-cd tag v3.5.1. */
export const INSTALL_SHA256: Record<Variant, string> = {
  install: '795a3a972224da6a7f9d32c3e946445f062b60fb46028476715affeb688236e3',
  'ha-install': '1d7b6baa0769ff8a5757c61e2c677ae0939a15e86e149f64df6b12435db5c4b2',
};

export type Variant = 'install' | 'ha-install';

/** The release manifest a kustomization resource URL names, if it is one. */
export function installUrl(resource: string): { version: string; variant: Variant } | undefined {
  const m = /^https:\/\/raw\.githubusercontent\.com\/argoproj\/argo-cd\/(v[0-9]+\.[0-9]+\.[0-9]+)\/manifests\/(ha\/)?install\.yaml$/.exec(resource);
  return m ? { version: m[1]!, variant: m[2] ? 'ha-install' : 'install' } : undefined;
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export const kustomization = (): Obj => parse(readFileSync(join(ROOT, 'argocd', 'kustomization.yaml'), 'utf8'));

// js-yaml: five times faster than `yaml` on the 2 MB install, and no positions are needed here.
export const docsOf = (text: string): Obj[] => (loadAll(text, null, { schema: CORE_SCHEMA }) as Obj[]).filter((d) => d !== null && d !== undefined);

/** The reference release manifest itself, parsed. */
export function installDocs(variant: Variant): Obj[] {
  return docsOf(readFileSync(join(REFERENCE, `${variant}.yaml`), 'utf8'));
}

const cache = new Map<Variant, Obj[]>();

/** `kubectl kustomize argocd/` with the install resource pointing at the reference `variant`. */
export function buildArgocd(variant: Variant = 'install'): Obj[] {
  const hit = cache.get(variant);
  if (hit) return hit;
  const dir = mkdtempSync(join(tmpdir(), 'habitat-argocd-'));
  try {
    cpSync(join(ROOT, 'argocd'), dir, { recursive: true });
    const k = kustomization();
    const remote = (k.resources as string[]).filter((r) => installUrl(r));
    if (remote.length !== 1) throw new Error(`argocd/kustomization.yaml must name exactly one Argo CD install URL, found ${remote.length}`);
    copyFileSync(join(REFERENCE, `${variant}.yaml`), join(dir, 'argocd-install.yaml'));
    k.resources = (k.resources as string[]).map((r) => (installUrl(r) ? 'argocd-install.yaml' : r));
    writeFileSync(join(dir, 'kustomization.yaml'), stringify(k));
    const docs = docsOf(execFileSync(kubeTools().kubectl, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    cache.set(variant, docs);
    return docs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const find = (docs: Obj[], kind: string, name: string): Obj | undefined => docs.find((d) => d.kind === kind && d.metadata?.name === name);
