import { writeSync } from 'node:fs';
import { UsageError } from './args';
import { run as generate } from './commands/generate';
import { run as parameters } from './commands/parameters';
import { run as render } from './commands/render';
import { run as schema } from './commands/schema';
import { run as validate } from './commands/validate';
import { EXIT_INPUT, EXIT_USAGE, type Command, type CommandIO } from './io';

declare const HABITAT_CMP_VERSION: string;
const VERSION = typeof HABITAT_CMP_VERSION === 'string' ? HABITAT_CMP_VERSION : 'dev';

// Sealing pulls in node:crypto and the YAML editor; loaded only when asked for.
const seal: Command = async (argv, io) => (await import('./commands/seal')).run(argv, io);
const ringKey: Command = async (argv, io) => (await import('./commands/ringKey')).run(argv, io);
// Not on Argo CD's path (generate), so they cost the plugin nothing at start-up:
// import, graph, and diff (git reading, the line diff, three formatters).
const importCmd: Command = async (argv, io) => (await import('./commands/import')).run(argv, io);
const graph: Command = async (argv, io) => (await import('./commands/graph')).run(argv, io);
const diff: Command = async (argv, io) => (await import('./commands/diff')).run(argv, io);

const COMMANDS: Record<string, Command> = { render, generate, parameters, validate, schema, seal, 'ring-key': ringKey, import: importCmd, graph, diff };

const USAGE = `habitat-cmp ${VERSION}: render Habitat apps (habitat.yaml) into Kubernetes manifests

Usage:
  habitat-cmp render [DIR]      print manifests (YAML; --output json for a JSON stream)
      --env NAME  --name APP  --namespace NS  --kube-version 1.29.3
      --api-versions a/v1,b/v1/Kind  --images W=IMAGE,..  --counts W=N,..
      --output yaml|json
  habitat-cmp validate [DIR]    checks only; same flags as render
  habitat-cmp generate          Argo CD: render "." from the plugin environment
  habitat-cmp parameters        Argo CD: the dynamic parameter announcement (JSON)
  habitat-cmp seal [DIR] --service W --key K [--raw] [--scope S] [--cert FILE] [--from-file F]
  habitat-cmp ring-key [DIR] [--name RING] [--cert FILE]
  habitat-cmp diff [DIR] --base REV [--head REV] | --base-dir PATH
      what a change does to the running app: pods that roll, syncs that fail,
      objects pruned; then a diff per object (secret values never shown)
      same input flags as render; --output text|markdown|json  --exit-code
  habitat-cmp graph [DIR]       the app as a Mermaid (default) or Graphviz DOT graph
      same input flags as render; --output mermaid|dot
  habitat-cmp schema            JSON Schema of habitat.yaml
  habitat-cmp import FILE...    Habitat Operator manifests (+ their Secrets) -> habitat.yaml
      --out DIR  --cert FILE  --name APP  --namespace NS  --split  --seal-config
      --scope S  --force

Exit codes: 0 success, 1 input errors, 2 usage errors.
`;

export { warmUp } from './warmUp';

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    (cmd === undefined ? io.stderr : io.stdout)(USAGE);
    return cmd === undefined ? EXIT_USAGE : 0;
  }
  if (cmd === '--version' || cmd === '-V' || rest.includes('--version')) {
    io.stdout(`habitat-cmp ${VERSION}\n`);
    return 0;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    io.stderr(`habitat-cmp: error: unknown command "${cmd}"\nRun "habitat-cmp --help" for usage.\n`);
    return EXIT_USAGE;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`habitat-cmp ${cmd}: error: ${e.message}\nRun "habitat-cmp --help" for usage.\n`);
      return EXIT_USAGE;
    }
    // Never a stack trace (it may echo input); a short message and a non-zero exit.
    const what = e instanceof RangeError ? 'the input is too large or too deeply nested' : 'internal error';
    io.stderr(`habitat-cmp: error: ${what} (${e instanceof Error ? e.name : 'unknown'}); please report this with the input that caused it\n`);
    return EXIT_INPUT;
  }
}

/** Entry point of the bundle: buffer nothing but stdout, and exit with the command's code. */
if (typeof require !== 'undefined' && require.main === module) {
  // Libraries report oddities through process warnings, which Node prints to
  // stderr verbatim, quoting the input (possibly ciphertext) and bypassing our
  // formatting. Everything worth saying is a diagnostic.
  process.emitWarning = () => undefined;
  const out: string[] = [];
  main(process.argv.slice(2), {
    // a getter: process.stdin builds a stream on first access, and only seal reads it
    get stdin() {
      return process.stdin;
    },
    stdout: (s) => out.push(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    env: process.env,
    // a getter too: process.stdout builds a stream (a net.Socket for Argo CD's pipe),
    // which generate never needs; only diff asks, for colour
    get stdoutIsTTY() {
      return process.stdout.isTTY === true;
    },
  }).then((code) => {
    // Everything was computed before the first byte goes out; written in ~64 KiB
    // batches rather than joined, so a large app is never held twice in memory.
    // Straight to fd 1: process.stdout would first build a stream (a net.Socket for
    // the pipe Argo CD reads), which costs more than the write itself. An fd that
    // refuses a blocking write (EAGAIN on a non-blocking pipe, say) gets the rest
    // through the stream, which waits for it.
    let i = 0;
    const next = (): Buffer | undefined => {
      let batch = '';
      while (i < out.length && batch.length < 1 << 16) batch += out[i++];
      return batch ? Buffer.from(batch) : undefined;
    };
    const viaStream = (pending: Buffer | undefined): void => {
      if (!pending) return void process.exit(code);
      process.stdout.write(pending, () => viaStream(next()));
    };
    for (let buf = next(); buf; buf = next()) {
      let off = 0;
      try {
        while (off < buf.length) off += writeSync(1, buf, off);
      } catch {
        return viaStream(buf.subarray(off));
      }
    }
    process.exit(code);
  });
}
