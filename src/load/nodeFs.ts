import { chmodSync, closeSync, fstatSync, openSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { ReadResult, RepoFs, UserFiles, WriteResult } from './repoFs';

const errCode = (e: unknown, fallback: string): string => (e as NodeJS.ErrnoException).code ?? fallback;

function realPath(p: string): string | ReadResult {
  try {
    return realpathSync(p);
  } catch (e) {
    const code = errCode(e, 'cannot resolve path');
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'unreadable', reason: 'too many levels of symbolic links' };
    return { kind: 'unreadable', reason: code };
  }
}

/** Reads a resolved path, never more than maxBytes + 1 bytes (a file growing under us cannot exhaust memory). */
function readBounded(real: string, maxBytes: number): ReadResult {
  let fd: number | undefined;
  try {
    if (statSync(real).isDirectory()) return { kind: 'directory' };
    fd = openSync(real, 'r');
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: 'unreadable', reason: 'not a regular file' };
    if (st.size > maxBytes) return { kind: 'too-large', size: st.size };
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) break;
    }
    if (n > maxBytes) return { kind: 'too-large', size: n };
    return { kind: 'file', data: buf.subarray(0, n) };
  } catch (e) {
    return { kind: 'unreadable', reason: errCode(e, 'read failed') };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The real filesystem, confined to `dir` by resolving symlinks (realpath) before reading or writing. */
export function nodeFs(dir: string): RepoFs {
  let root: string;
  let isDirectory = false;
  try {
    root = realpathSync(dir);
    isDirectory = statSync(root).isDirectory();
  } catch {
    root = dir;
  }
  const inside = (real: string) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  const confined = (rel: string): string | ReadResult => {
    const real = realPath(join(root, rel));
    if (typeof real !== 'string') return real;
    return inside(real) ? real : { kind: 'outside' };
  };
  return {
    display: dir === '.' || dir === './' ? '' : dir,
    rootName: basename(root),
    isDirectory,
    read(rel: string, maxBytes: number): ReadResult {
      const real = confined(rel);
      return typeof real === 'string' ? readBounded(real, maxBytes) : real;
    },
    write(rel: string, text: string): WriteResult {
      const real = confined(rel);
      if (typeof real !== 'string') return { ok: false, reason: real.kind === 'outside' ? 'outside the app directory' : real.kind === 'unreadable' ? real.reason : 'ENOENT' };
      return replaceFile(real, text);
    },
  };
}

/** A temporary file beside the target, renamed over it: a crash never leaves half a file. */
function replaceFile(real: string, text: string): WriteResult {
  const tmp = join(dirname(real), `.${basename(real)}.habitat-cmp-${process.pid}.tmp`);
  try {
    const mode = statSync(real).mode & 0o7777;
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, real);
    return { ok: true };
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    return { ok: false, reason: errCode(e, 'write failed') };
  }
}

/** Files named on the command line, relative to `cwd` or absolute, read like repository files. */
export function userFiles(cwd: string): UserFiles {
  return {
    read(path: string, maxBytes: number): ReadResult {
      const real = realPath(resolve(cwd, path));
      return typeof real === 'string' ? readBounded(real, maxBytes) : real;
    },
  };
}
