/**
 * The filesystem is passed in (kustomize style) so the whole pipeline runs in
 * memory in tests. A RepoFs is rooted at the app directory: every path it is
 * asked for is relative to that root and must stay inside it, also through
 * symlinks. Path *syntax* is checked by confinePath before the fs is asked.
 */
export type ReadResult =
  | { kind: 'file'; data: Uint8Array }
  | { kind: 'missing' }
  | { kind: 'directory' }
  | { kind: 'outside' }
  | { kind: 'too-large'; size: number }
  | { kind: 'unreadable'; reason: string };

export type WriteResult = { ok: true } | { ok: false; reason: string };

export interface RepoFs {
  /** How the root is shown in messages: "" for ".", else the directory as the user typed it. */
  readonly display: string;
  /** Basename of the root's real path (the default app name). */
  readonly rootName: string;
  /** False when the root does not exist or is not a directory. */
  readonly isDirectory: boolean;
  read(relPath: string, maxBytes: number): ReadResult;
  /**
   * Replaces an existing file inside the root (through a symlink to its
   * target, which must be inside too) so that a reader never sees half of it;
   * the file keeps its mode.
   */
  write(relPath: string, text: string): WriteResult;
}

/** Files the user names on the command line (--cert, --from-file): anywhere, relative to the working directory, read under the same bounds. */
export interface UserFiles {
  read(path: string, maxBytes: number): ReadResult;
}

/** Why a read failed, in one wording for every file habitat-cmp reads. */
export function readProblem(r: Exclude<ReadResult, { kind: 'file' }>, what: string, limit: number): string {
  switch (r.kind) {
    case 'missing':
      return `${what} does not exist`;
    case 'directory':
      return `${what} is a directory`;
    case 'outside':
      return `${what} resolves (through a symlink) outside the app directory`;
    case 'too-large':
      return `${what} is ${r.size} bytes; the limit is ${limit}`;
    case 'unreadable':
      return `${what} cannot be read (${r.reason})`;
  }
}

export type PathProblem = 'empty' | 'absolute' | 'parent' | 'backslash' | 'nul';

/** Syntax check: relative, no `..` segment at all, no NUL, POSIX separators. */
export function confinePath(p: string): PathProblem | undefined {
  if (p.length === 0) return 'empty';
  if (p.includes('\0')) return 'nul';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'absolute';
  if (p.includes('\\')) return 'backslash';
  if (p.split('/').some((seg) => seg === '..')) return 'parent';
  return undefined;
}

/** `rel` as the user should see it: under the directory they typed, or bare for ".". */
function displayUnder(dir: string, rel: string): string {
  return dir === '' || dir === '.' || dir === './' ? rel : `${dir.replace(/\/+$/, '')}/${rel}`;
}

export const displayPath = (fs: RepoFs, rel: string): string => displayUnder(fs.display, rel);

/**
 * In-memory RepoFs (tests, and git revisions read by `diff`): string/bytes are
 * files, {symlink} are links (resolved inside the map), {size, load} is a file
 * read only when asked for and only when it is within the limit.
 */
export type MemEntry = string | Uint8Array | { symlink: string } | { dir: true } | { size: number; load: () => Uint8Array };

export function memFs(files: Record<string, MemEntry>, display = '', rootName = 'app'): RepoFs {
  const norm = (p: string) => p.split('/').filter((s) => s !== '' && s !== '.').join('/');
  const resolve = (rel: string, depth = 0): string | 'outside' | 'loop' => {
    if (depth > 40) return 'loop';
    const segs = norm(rel).split('/');
    const acc: string[] = [];
    for (let i = 0; i < segs.length; i++) {
      acc.push(segs[i]!);
      const e = files[acc.join('/')];
      if (e && typeof e === 'object' && 'symlink' in e) {
        const target = e.symlink;
        if (target.startsWith('/')) return 'outside';
        const parts = [...acc.slice(0, -1), ...target.split('/'), ...segs.slice(i + 1)];
        const out: string[] = [];
        for (const s of parts) {
          if (s === '' || s === '.') continue;
          if (s === '..') {
            if (out.length === 0) return 'outside';
            out.pop();
          } else out.push(s);
        }
        return resolve(out.join('/'), depth + 1);
      }
    }
    return acc.join('/');
  };
  const isDir = (p: string) => files[p] !== undefined ? typeof files[p] === 'object' && 'dir' in (files[p] as object) : Object.keys(files).some((k) => k.startsWith(p + '/'));
  return {
    display,
    rootName,
    isDirectory: true,
    read(rel, maxBytes) {
      const r = resolve(rel);
      if (r === 'outside') return { kind: 'outside' };
      if (r === 'loop') return { kind: 'unreadable', reason: 'too many levels of symbolic links' };
      const e = files[r];
      if (e === undefined) return isDir(r) ? { kind: 'directory' } : { kind: 'missing' };
      if (typeof e === 'object' && 'dir' in e) return { kind: 'directory' };
      if (typeof e === 'object' && 'load' in e) {
        if (e.size > maxBytes) return { kind: 'too-large', size: e.size };
        try {
          return { kind: 'file', data: e.load() };
        } catch (err) {
          return { kind: 'unreadable', reason: err instanceof Error ? err.message : 'read failed' };
        }
      }
      const data = typeof e === 'string' ? new TextEncoder().encode(e) : (e as Uint8Array);
      if (data.length > maxBytes) return { kind: 'too-large', size: data.length };
      return { kind: 'file', data };
    },
    write(rel, text) {
      const r = resolve(rel);
      if (r === 'outside' || r === 'loop' || (typeof files[r] !== 'string' && !(files[r] instanceof Uint8Array))) return { ok: false, reason: 'ENOENT' };
      files[r] = text;
      return { ok: true };
    },
  };
}
