import { writeSync } from 'node:fs';
import { UsageError } from './args';
import { commandHelp, usageLine, type CommandSpec } from './commandSpec';
import { diff } from './commands/diff';
import { generate } from './commands/generate';
import { graph } from './commands/graph';
import { importCommand } from './commands/import';
import { parameters } from './commands/parameters';
import { render } from './commands/render';
import { ringKey } from './commands/ringKey';
import { schema } from './commands/schema';
import { seal } from './commands/seal';
import { validate } from './commands/validate';
import { EXIT_INPUT, EXIT_USAGE, type CommandIO } from './io';

declare const HABITAT_CMP_VERSION: string;
const VERSION = typeof HABITAT_CMP_VERSION === 'string' ? HABITAT_CMP_VERSION : 'dev';

// seal, ring-key, diff, graph and import load their actions (node:crypto, the YAML
// editor, git reading, formatters) only when they run: Argo CD's generate pays nothing for them.
const COMMANDS: readonly CommandSpec[] = [render, validate, generate, parameters, seal, ringKey, diff, graph, schema, importCommand];

function usage(): string {
  return [
    `habitat-cmp ${VERSION}: render Habitat apps (habitat.yaml) into Kubernetes manifests`,
    '',
    'Usage:',
    ...COMMANDS.map((c) => `  ${usageLine(c)}\n      ${c.summary}`),
    '',
    '"habitat-cmp COMMAND --help" lists the flags of a command.',
    'Exit codes: 0 success, 1 input errors, 2 usage errors.',
    '',
  ].join('\n');
}

export { warmUp } from './warmUp';

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    (cmd === undefined ? io.stderr : io.stdout)(usage());
    return cmd === undefined ? EXIT_USAGE : 0;
  }
  if (cmd === '--version' || cmd === '-V' || rest.includes('--version')) {
    io.stdout(`habitat-cmp ${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === cmd);
  if (!command) {
    io.stderr(`habitat-cmp: error: unknown command "${cmd}"\nRun "habitat-cmp --help" for usage.\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`habitat-cmp ${cmd}: error: ${e.message}\nusage: ${usageLine(command)}\nRun "habitat-cmp ${cmd} --help" for its flags.\n`);
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
