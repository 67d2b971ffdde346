/** AES-GCM appends a 16-byte tag, so even an empty plaintext leaves that much after the RSA block. */
const GCM_TAG_BYTES = 16;
const STD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Render-time sanity check of a value from habitat.yaml: is it standard padded
 * base64 of the Sealed Secrets hybrid layout? Catches plaintext pasted where
 * ciphertext belongs, and mangled copies, before the controller reports "no
 * key could decrypt". Returns why it is not, or undefined. The reason never
 * quotes the value. Pure: no key is needed, so nothing is decrypted.
 */
export function sealedValueProblem(value: string): string | undefined {
  if (value.length === 0) return 'is empty; seal a value with "habitat-cmp seal"';
  // The smallest possible sealed value (a 64-byte RSA block, empty plaintext) is 112
  // base64 characters; anything shorter is almost certainly a plaintext pasted in.
  if (value.length < 112 && !/\s/.test(value)) return 'is too short to be a sealed value; it looks like a plain value: seal it with "habitat-cmp seal"';
  if (/\s/.test(value)) return 'contains whitespace or line breaks; sealed values are one unbroken base64 string';
  if (/[-_]/.test(value) && /^[A-Za-z0-9_-]*={0,2}$/.test(value)) return 'uses URL-safe base64; the controller decodes standard base64 only';
  if (!STD_BASE64.test(value)) return 'is not base64; it looks like a plain value, seal it with "habitat-cmp seal"';
  if (value.length % 4 !== 0) return 'is not padded base64 (its length is not a multiple of 4); it may have been truncated';
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < 2 + 1 + GCM_TAG_BYTES) return `is too short to be a sealed value (${bytes.length} bytes)`;
  const rsaLen = bytes.readUInt16BE(0);
  if (rsaLen === 0) return 'is not a sealed value (its RSA block length is zero)';
  // RSA ciphertext is as long as the modulus: 512 to 16384-bit keys give 64 to 2048 bytes.
  if (rsaLen < 64 || rsaLen > 2048) return `is not a sealed value (it announces a ${rsaLen}-byte RSA block; RSA keys give 64 to 2048)`;
  if (2 + rsaLen + GCM_TAG_BYTES > bytes.length) {
    return `is truncated or not a sealed value: it announces a ${rsaLen}-byte RSA block but holds only ${bytes.length} bytes`;
  }
  return undefined;
}
