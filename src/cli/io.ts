import { resolve } from 'node:path';

/** What a command may touch: its streams and the working directory. Tests pass fakes. */
export interface CommandIO {
  stdin: NodeJS.ReadableStream;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colour is used only then). */
  stdoutIsTTY?: boolean;
}

export type Command = (argv: string[], io: CommandIO) => Promise<number>;

export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;

/** The DIR argument: kept as typed (for messages) unless it must be anchored to a non-process cwd. */
export function appDir(dir: string | undefined, io: CommandIO): string {
  const d = dir ?? '.';
  return io.cwd === process.cwd() ? d : resolve(io.cwd, d);
}
