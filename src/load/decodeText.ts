import { error, type Diagnostic } from '../diag/diagnostic';

/** Largest habitat.yaml or configFile read; larger input is refused before parsing. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface Source {
  file: string;
  /** Without the byte-order mark, if the file had one. */
  text: string;
  /** The file starts with a UTF-8 byte-order mark (kept when seal rewrites it). */
  bom?: boolean;
  redact?: ReadonlyArray<readonly [number, number]>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Strict UTF-8; a leading BOM is dropped (TextDecoder does it), invalid bytes are an error at their offset. */
export function decodeText(data: Uint8Array, file: string): { text: string; diagnostic?: Diagnostic } {
  try {
    return { text: utf8.decode(data) };
  } catch {
    let i = 0;
    // Find the first bad byte for the position (offset in characters of the valid prefix).
    for (let lo = 0, hi = data.length; lo < hi; ) {
      const mid = (lo + hi + 1) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(0, mid));
        lo = mid;
        i = mid;
      } catch {
        hi = mid - 1;
      }
    }
    const prefix = new TextDecoder('utf-8').decode(data.subarray(0, i));
    return { text: new TextDecoder('utf-8').decode(data), diagnostic: error('encoding-invalid', 'the file is not valid UTF-8', { file, offset: Math.max(0, prefix.length) }, 'save it as UTF-8') };
  }
}
