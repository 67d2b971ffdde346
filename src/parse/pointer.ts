/** JSON Pointer (RFC 6901) helpers; ajv's instancePath uses the same syntax. */
export const escapeSegment = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapeSegment = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');
export const fromPointer = (p: string): string[] => (p === '' ? [] : p.slice(1).split('/').map(unescapeSegment));
