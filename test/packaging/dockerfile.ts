// A small Dockerfile reader for the packaging tests (no Docker engine here): enough
// of the syntax to know what the image contains, where, and how it starts. Also
// used by the CMP conformance tests to lay the image's files out on this machine.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { goMatch } from '../cmp/go';

export interface Instruction {
  cmd: string; // upper-case
  raw: string; // arguments as written (continuations joined)
  json?: string[]; // exec form, when the arguments are a JSON array
  line: number;
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!;
    if (/^\s*(#.*)?$/.test(first)) continue;
    const line = i + 1;
    let buf = first;
    while (/\\\s*$/.test(buf) && i + 1 < lines.length) {
      buf = buf.replace(/\\\s*$/, '');
      i++;
      // comment lines inside a continuation are dropped, as BuildKit does
      if (/^\s*#/.test(lines[i]!)) {
        buf += '\\';
        continue;
      }
      buf += ' ' + lines[i]!.trim();
    }
    const m = /^\s*(\S+)\s*(.*)$/.exec(buf)!;
    const raw = m[2]!.trim();
    let json: string[] | undefined;
    if (raw.startsWith('[')) {
      try {
        const v = JSON.parse(raw) as unknown;
        if (Array.isArray(v) && v.every((x) => typeof x === 'string')) json = v;
      } catch {
        /* shell form */
      }
    }
    out.push({ cmd: m[1]!.toUpperCase(), raw, json, line });
  }
  return out;
}

export interface Copy {
  sources: string[];
  dest: string;
  flags: Record<string, string>;
}

function substitute(s: string, vars: Record<string, string>): string {
  return s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => vars[(a ?? b)!] ?? '');
}

export interface Image {
  from: string;
  user?: string;
  env: Record<string, string>;
  entrypoint?: string[];
  copies: Copy[];
  runs: string[];
  /** image path -> build-context path of every file COPY puts in the final stage */
  files: Record<string, string>;
}

/** The final stage of a single- or multi-stage Dockerfile. */
export function readImage(dockerfilePath: string): Image {
  const ins = parseDockerfile(readFileSync(dockerfilePath, 'utf8'));
  const args: Record<string, string> = {};
  let img: Image | undefined;
  for (const i of ins) {
    if (i.cmd === 'ARG') {
      const [k, v] = i.raw.split('=', 2);
      if (v !== undefined) args[k!.trim()] = v.trim();
      continue;
    }
    if (i.cmd === 'FROM') {
      img = { from: substitute(i.raw.split(/\s+/)[0]!, args), env: {}, copies: [], runs: [], files: {} };
      continue;
    }
    if (!img) throw new Error(`line ${i.line}: ${i.cmd} before FROM`);
    switch (i.cmd) {
      case 'USER':
        img.user = i.raw;
        break;
      case 'ENV':
        for (const m of i.raw.matchAll(/(\w+)=("[^"]*"|\S+)/g)) img.env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
        break;
      case 'ENTRYPOINT':
        img.entrypoint = i.json ?? ['/bin/sh', '-c', i.raw];
        break;
      case 'RUN':
        img.runs.push(i.raw);
        break;
      case 'COPY':
      case 'ADD': {
        const words = i.json ?? i.raw.split(/\s+/);
        const flags: Record<string, string> = {};
        while (words[0]?.startsWith('--')) {
          const [k, v] = words.shift()!.slice(2).split('=', 2);
          flags[k!] = v ?? 'true';
        }
        const dest = words.pop()!;
        const copy: Copy = { sources: words, dest, flags };
        img.copies.push(copy);
        if (!flags.from)
          for (const s of words) img.files[dest.endsWith('/') ? posix.join(dest, posix.basename(s)) : dest] = s;
        break;
      }
    }
  }
  if (!img) throw new Error('no FROM');
  return img;
}

/** .dockerignore semantics: patterns match a path or any parent; the last match wins; `!` re-includes. */
export function dockerIgnored(patterns: string[], path: string): boolean {
  let ignored = false;
  const parts = path.split('/');
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pat = posix.normalize(negate ? raw.slice(1) : raw).replace(/^\/+/, '');
    let hit = false;
    for (let n = 1; n <= parts.length && !hit; n++) {
      const prefix = parts.slice(0, n).join('/');
      hit = pat.includes('**') ? new RegExp('^' + pat.split('**').map(globPart).join('.*') + '$').test(prefix) : goMatch(pat, prefix);
    }
    if (hit) ignored = !negate;
  }
  return ignored;
}

function globPart(p: string): string {
  return p.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
}

export function readDockerignore(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
