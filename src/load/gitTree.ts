import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { memFs, type MemEntry, type RepoFs } from './repoFs';

/**
 * Reads a revision of a git repository through the git CLI, never writing to it:
 * `rev-parse`, `ls-tree` and `cat-file` only, with optional locks off and lazy
 * fetching of missing objects (partial clones) refused. The CLI rather than a
 * library: it is already wherever a repository is checked out, reads every
 * repository format git itself writes (packs, alternates, worktrees, SHA-256
 * repositories), and keeps the runtime dependencies at four.
 */
export interface GitRepo {
  /** Working tree root (real path). */
  top: string;
  /** The app directory relative to `top`, "/"-separated; "" for the root. */
  prefix: string;
}

export type GitResult<T> = { ok: true; value: T } | { ok: false; problem: string };

type Env = Readonly<Record<string, string | undefined>>;

function git(cwd: string, args: string[], env: Env, input?: string): GitResult<Buffer> {
  const r = spawnSync('git', ['--literal-pathspecs', '--no-replace-objects', ...args], {
    cwd,
    env: { ...env, GIT_OPTIONAL_LOCKS: '0', GIT_NO_LAZY_FETCH: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    input,
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { ok: false, problem: code === 'ENOENT' ? 'git is not installed (diff reads revisions with the git CLI)' : `git could not be run (${code ?? r.error.name})` };
  }
  if (r.status !== 0) {
    const first = r.stderr.toString('utf8').split('\n').find((l) => l.trim() !== '') ?? `exit status ${r.status}`;
    return { ok: false, problem: first.replace(/^(fatal|error): /, '') };
  }
  return { ok: true, value: r.stdout };
}

/** The repository holding `dir` (which need not exist in the working tree, e.g. an app deleted since). */
export function findRepo(dir: string, env: Env): GitResult<GitRepo> {
  let existing = resolve(dir);
  const rest: string[] = [];
  while (!existsSync(existing) || !statSync(existing).isDirectory()) {
    const up = dirname(existing);
    if (up === existing) break;
    rest.unshift(basename(existing));
    existing = up;
  }
  const top = git(existing, ['rev-parse', '--show-toplevel'], env);
  if (!top.ok) return { ok: false, problem: `${dir} is not inside a git repository` };
  const root = realpathSync(top.value.toString('utf8').replace(/\n$/, ''));
  const rel = relative(root, resolve(realpathSync(existing), ...rest));
  if (rel.startsWith('..')) return { ok: false, problem: `${dir} is outside the repository at ${root}` };
  return { ok: true, value: { top: root, prefix: rel.split(sep).filter(Boolean).join('/') } };
}

/** A revision as a commit id; anything git would read as an option is refused first. */
export function resolveCommit(repo: GitRepo, rev: string, env: Env): GitResult<string> {
  if (rev === '' || rev.startsWith('-') || /[\u0000-\u001f]/.test(rev)) return { ok: false, problem: `"${rev}" is not a revision` };
  const r = git(repo.top, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], env);
  if (!r.ok) return { ok: false, problem: `unknown revision "${rev}" in ${repo.top}` };
  return { ok: true, value: r.value.toString('utf8').trim() };
}

interface TreeEntry {
  mode: string;
  oid: string;
  size: number;
  path: string;
}

function listTree(repo: GitRepo, commit: string, env: Env): GitResult<TreeEntry[]> {
  const r = git(repo.top, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit, ...(repo.prefix ? ['--', repo.prefix] : [])], env);
  if (!r.ok) return r;
  const out: TreeEntry[] = [];
  const under = repo.prefix ? repo.prefix + '/' : '';
  for (const rec of r.value.toString('utf8').split('\0')) {
    if (rec === '') continue;
    const tab = rec.indexOf('\t');
    const [mode, , oid, size] = rec.slice(0, tab).split(/ +/);
    const path = rec.slice(tab + 1);
    if (!path.startsWith(under) || mode === undefined || oid === undefined) continue;
    out.push({ mode, oid, size: size === '-' || size === undefined ? 0 : Number(size), path: path.slice(under.length) });
  }
  return { ok: true, value: out };
}

/** `git cat-file --batch` output: `<oid> <type> <size>\n<content>\n` per object, in input order. */
function readBlobs(repo: GitRepo, oids: string[], env: Env): GitResult<Buffer[]> {
  if (oids.length === 0) return { ok: true, value: [] };
  const r = git(repo.top, ['cat-file', '--batch'], env, oids.join('\n') + '\n');
  if (!r.ok) return r;
  const buf = r.value;
  const out: Buffer[] = [];
  let at = 0;
  for (const oid of oids) {
    const nl = buf.indexOf(10, at);
    const header = buf.subarray(at, nl).toString('utf8').split(' ');
    if (header[1] !== 'blob') return { ok: false, problem: `object ${oid} is missing from the repository` };
    const size = Number(header[2]);
    out.push(buf.subarray(nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return { ok: true, value: out };
}

/**
 * The app directory at `commit` as a RepoFs: listed once, files read when the
 * renderer asks for them (only habitat.yaml and its config files), symlinks
 * resolved inside the directory exactly as on disk. `display` names files the
 * way git does (`main:apps/shop/habitat.yaml`), so errors say which side they are from.
 */
export function treeFs(repo: GitRepo, commit: string, label: string, env: Env, rootName: string): GitResult<RepoFs> {
  const listed = listTree(repo, commit, env);
  if (!listed.ok) return listed;
  const files: Record<string, MemEntry> = {};
  const links = listed.value.filter((e) => e.mode === '120000');
  const targets = readBlobs(repo, links.map((e) => e.oid), env);
  if (!targets.ok) return targets;
  links.forEach((e, i) => (files[e.path] = { symlink: targets.value[i]!.toString('utf8') }));
  for (const e of listed.value) {
    if (e.mode === '160000') files[e.path] = { dir: true };
    else if (e.mode !== '120000') {
      files[e.path] = {
        size: e.size,
        load: () => {
          const b = git(repo.top, ['cat-file', 'blob', e.oid], env);
          if (!b.ok) throw new Error(b.problem);
          return new Uint8Array(b.value);
        },
      };
    }
  }
  return { ok: true, value: memFs(files, `${label}:${repo.prefix || '.'}`, rootName) };
}
