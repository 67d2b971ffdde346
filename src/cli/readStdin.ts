import type { CommandIO } from './io';

/** All of stdin, or 'too-large' past `limit` bytes; a terminal gets a prompt on stderr first. */
export async function readStdin(io: CommandIO, limit: number): Promise<Buffer | 'too-large'> {
  if ((io.stdin as { isTTY?: boolean }).isTTY) io.stderr('Type the value, then press Ctrl-D (it is not echoed anywhere by habitat-cmp):\n');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > limit) return 'too-large';
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
