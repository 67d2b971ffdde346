import { X509Certificate, type KeyObject } from 'node:crypto';

export type CertificateResult = { ok: true; publicKey: KeyObject; notAfter: Date } | { ok: false; message: string };

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/;
const FETCH_HINT = 'get the controller\'s current certificate with "kubeseal --fetch-cert"';

/**
 * The controller's public certificate as kubeseal accepts it: the first PEM
 * CERTIFICATE block, with an RSA key, not expired at `now`. Messages never
 * quote the file's content.
 */
export function parseSealingCertificate(data: Uint8Array | string, now: Date): CertificateResult {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
  const block = PEM_CERT.exec(text);
  if (!block) {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
      return { ok: false, message: `this is a private key, not a certificate; never put the private key in the repository; ${FETCH_HINT}` };
    }
    if (/-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(text)) return { ok: false, message: `this is a bare public key; sealing needs the PEM certificate; ${FETCH_HINT}` };
    return { ok: false, message: `not a PEM certificate (no "BEGIN CERTIFICATE" block); ${FETCH_HINT}` };
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(block[0]);
  } catch {
    return { ok: false, message: `the CERTIFICATE block is not a valid X.509 certificate; ${FETCH_HINT}` };
  }
  const publicKey = cert.publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa') {
    return { ok: false, message: `the certificate holds a${/^[aeiou]/i.test(publicKey.asymmetricKeyType ?? '') ? 'n' : ''} ${publicKey.asymmetricKeyType ?? 'unknown'} key; Sealed Secrets encrypts with RSA only` };
  }
  const notAfter = new Date(cert.validTo);
  if (Number.isNaN(notAfter.getTime())) return { ok: false, message: 'the certificate\'s expiry date cannot be read' };
  // Same rule as kubeseal: a value sealed for an expired key may be undecryptable once the controller drops it.
  if (now.getTime() > notAfter.getTime()) {
    return { ok: false, message: `the certificate expired on ${notAfter.toISOString()}; ${FETCH_HINT}` };
  }
  return { ok: true, publicKey, notAfter };
}
