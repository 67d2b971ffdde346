import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import type { ReadResult, RepoFs } from './repoFs';

/** The real filesystem, confined to `dir` by resolving symlinks (realpath) before reading. */
export function nodeFs(dir: string): RepoFs {
  let root: string;
  try {
    root = realpathSync(dir);
  } catch {
    root = dir;
  }
  return {
    display: dir === '.' || dir === './' ? '' : dir,
    rootName: basename(root),
    read(rel: string, maxBytes: number): ReadResult {
      let real: string;
      try {
        real = realpathSync(join(root, rel));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
        if (code === 'ELOOP') return { kind: 'unreadable', reason: 'too many levels of symbolic links' };
        return { kind: 'unreadable', reason: code ?? 'cannot resolve path' };
      }
      if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) return { kind: 'outside' };
      let fd: number | undefined;
      try {
        if (statSync(real).isDirectory()) return { kind: 'directory' };
        fd = openSync(real, 'r');
        const st = fstatSync(fd);
        if (!st.isFile()) return { kind: 'unreadable', reason: 'not a regular file' };
        if (st.size > maxBytes) return { kind: 'too-large', size: st.size };
        // Read at most maxBytes+1 so a file growing under us cannot exhaust memory.
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
        return { kind: 'unreadable', reason: (e as NodeJS.ErrnoException).code ?? 'read failed' };
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    },
  };
}
