/**
 * A temporary git repository (in the OS temp dir) holding one app, and runners
 * for the built CLI. Independent of src/: commits are made with the git CLI,
 * sealed values with the `seal`/`ring-key` commands and the throwaway test key.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { FIXTURES, hab, tmp, type Run } from '../seal/helpers';

export { hab, type Run };

export const APP = 'apps/shop';

export function gitIn(repo: string, args: string[]): string {
  const r = spawnSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: repo, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

export class AppRepo {
  readonly root = tmp('habitat-cmp-diff-repo-');
  readonly app = join(this.root, APP);
  constructor(habitatYaml: string) {
    gitIn(this.root, ['init', '-q', '-b', 'main']);
    mkdirSync(this.app, { recursive: true });
    cpSync(join(FIXTURES, 'rsa2048.pem'), join(this.app, '.sealed-secrets.pem'));
    this.write(habitatYaml);
  }
  read(): string {
    return readFileSync(join(this.app, 'habitat.yaml'), 'utf8');
  }
  write(text: string): void {
    writeFileSync(join(this.app, 'habitat.yaml'), text);
  }
  /** Edits habitat.yaml through the yaml Document API, so sealed values and layout stay. */
  edit(change: (doc: ReturnType<typeof parseDocument>) => void): void {
    const doc = parseDocument(this.read());
    change(doc);
    this.write(doc.toString());
  }
  seal(service: string, key: string, value: string): void {
    const r = hab(['seal', this.app, '--service', service, '--key', key], { input: value });
    if (r.status !== 0) throw new Error(r.stderr);
  }
  ringKey(): void {
    const r = hab(['ring-key', this.app]);
    if (r.status !== 0) throw new Error(r.stderr);
  }
  commit(message: string): string {
    gitIn(this.root, ['add', '-A']);
    gitIn(this.root, ['commit', '-q', '-m', message]);
    return gitIn(this.root, ['rev-parse', 'HEAD']);
  }
  /** `habitat-cmp diff` run from the repository root, as a CI job would (the built bundle). */
  diff(args: string[]): Run {
    return hab(['diff', APP, ...args], { cwd: this.root });
  }
  /** The same in this process. */
  diffHere(args: string[], opts: { env?: Record<string, string>; tty?: boolean } = {}): Promise<Run> {
    return runMain(['diff', APP, ...args], { cwd: this.root, ...opts });
  }
  /** Every file under the repository (.git included) with its size, mode, mtime and content hash. */
  snapshot(): string {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d).sort()) {
        const p = join(d, name);
        const st = lstatSync(p);
        if (st.isDirectory()) {
          out.push(`${p}/ ${st.mode} ${st.mtimeMs}`);
          walk(p);
        } else out.push(`${p} ${st.size} ${st.mode} ${st.mtimeMs} ${st.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : ''}`);
      }
    };
    walk(this.root);
    return out.join('\n');
  }
}

/** Every form in which a leaked secret could show up. */
export function forms(secret: string): string[] {
  const b = Buffer.from(secret);
  return [secret, b.toString('base64'), b.toString('base64url'), b.toString('hex'), JSON.stringify(secret).slice(1, -1)];
}

/** The CLI in this process (main() with captured streams): the same code path, without a Node start per run. */
export async function runMain(args: string[], opts: { cwd: string; env?: Record<string, string>; tty?: boolean }): Promise<Run> {
  const { main } = await import('../../src/cli/main');
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    stdin: process.stdin,
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', ...(opts.env ?? {}) },
    ...(opts.tty !== undefined ? { stdoutIsTTY: opts.tty } : {}),
  });
  return { status, stdout, stderr };
}
