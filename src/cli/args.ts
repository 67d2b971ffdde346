/** Minimal flag parser: `--flag value`, `--flag=value`, boolean flags, positionals. Unknown flags are usage errors. */
export class UsageError extends Error {}

export interface FlagSpec {
  [flag: string]: 'string' | 'boolean';
}

/**
 * With `quietAbout` (the command's name) an unknown flag is not quoted in the
 * error: on `seal` it may be the secret itself, typed on the command line.
 */
export function parseArgs(argv: readonly string[], spec: FlagSpec, quietAbout?: string): { flags: Record<string, string | boolean>; positionals: string[] } {
  const flags: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = (eq >= 0 ? a.slice(0, eq) : a).replace(/^--?/, '');
    const kind = spec[name];
    if (!kind) throw new UsageError(quietAbout !== undefined ? `unknown flag; ${quietAbout} accepts ${Object.keys(spec).map((f) => `--${f}`).join(', ')}` : `unknown flag ${eq >= 0 ? a.slice(0, eq) : a}`);
    if (kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
    } else {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      flags[name] = v;
    }
  }
  return { flags, positionals };
}
