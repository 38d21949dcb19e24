import "reflect-metadata"; // @peculiar/x509 needs the Reflect metadata polyfill
import { webcrypto } from "node:crypto";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as never);

/** Client VPN accepts RSA 1024 or 2048 only; 2048 it is. */
const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const DAY = 24 * 60 * 60 * 1000;

export interface IssuedCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface Authority extends IssuedCertificate {
  readonly certificate: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function privatePem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString("hex").replace(/^[89a-f]/, "1");
}

/** A self-signed CA for one environment's Client VPN (10 years). */
export async function createAuthority(commonName: string, now = new Date()): Promise<Authority> {
  const keys = await keyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: now,
    notAfter: new Date(now.getTime() + 3650 * DAY),
    keys: keys as never,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  return { certificate, keys, certificatePem: certificate.toString("pem"), privateKeyPem: await privatePem(keys.privateKey) };
}

/** Loads a CA written earlier (PEM certificate and PKCS#8 key). */
export async function loadAuthority(certificatePem: string, privateKeyPem: string): Promise<Authority> {
  const certificate = new x509.X509Certificate(certificatePem);
  const privateKey = await webcrypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(privateKeyPem), ALGORITHM, true, ["sign"]);
  const publicKey = (await certificate.publicKey.export(ALGORITHM, ["verify"])) as unknown as CryptoKey;
  return { certificate, keys: { privateKey, publicKey } as CryptoKeyPair, certificatePem, privateKeyPem };
}

/** A leaf certificate signed by `authority`: the VPN server's, or a user's (clients need a CN). */
export async function issue(authority: Authority, kind: "server" | "client", commonName: string, now = new Date()): Promise<IssuedCertificate> {
  if (!/^[A-Za-z0-9][A-Za-z0-9.@_-]{0,63}$/.test(commonName)) throw new Error(`common name "${commonName}" must be 1-64 letters, digits, . @ _ -`);
  const keys = await keyPair();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${commonName}`,
    issuer: authority.certificate.subject,
    notBefore: now,
    notAfter: new Date(now.getTime() + (kind === "server" ? 825 : 365) * DAY),
    signingKey: authority.keys.privateKey as never,
    publicKey: keys.publicKey as never,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([kind === "server" ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      ...(kind === "server" ? [new x509.SubjectAlternativeNameExtension([{ type: "dns", value: commonName }])] : []),
      await x509.AuthorityKeyIdentifierExtension.create(authority.certificate),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  return { certificatePem: certificate.toString("pem"), privateKeyPem: await privatePem(keys.privateKey) };
}

/** The serial number of a PEM certificate, lowercase hex as OpenSSL and the CRL print it. */
export function serialOf(certificatePem: string): string {
  return new x509.X509Certificate(certificatePem).serialNumber.toLowerCase();
}

/** Why a certificate was revoked (RFC 5280 reason codes an operator picks). */
export const REVOCATION_REASONS = {
  keyCompromise: x509.X509CrlReason.keyCompromise,
  affiliationChanged: x509.X509CrlReason.affiliationChanged,
  superseded: x509.X509CrlReason.superseded,
  cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;

export interface RevokedSerial {
  readonly serial: string;
  readonly revokedAt: Date;
  readonly reason: RevocationReason;
}

/** DER of a non-negative INTEGER (the CRL number extension's value). */
function derInteger(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if (bytes[0] >= 0x80) bytes.unshift(0);
  return new Uint8Array([0x02, bytes.length, ...bytes]);
}

/**
 * An X.509 v2 CRL signed by the CA, listing `revoked`. `nextUpdate` is the CA's own expiry: AWS
 * Client VPN (OpenVPN underneath) refuses every client once an imported CRL has expired, and this
 * CRL is replaced by hand, so it must not lapse before the CA does.
 */
export async function createRevocationList(authority: Authority, revoked: readonly RevokedSerial[], crlNumber: number, now = new Date()): Promise<string> {
  if (!Number.isSafeInteger(crlNumber) || crlNumber < 1) throw new Error(`CRL number must be a positive whole number, got ${crlNumber}`);
  const crl = await x509.X509CrlGenerator.create({
    issuer: authority.certificate.subject,
    thisUpdate: now,
    nextUpdate: authority.certificate.notAfter,
    signingKey: authority.keys.privateKey as never,
    signingAlgorithm: ALGORITHM,
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(authority.certificate),
      new x509.Extension("2.5.29.20", false, derInteger(crlNumber)), // cRLNumber
    ],
    entries: revoked.map((entry) => ({ serialNumber: entry.serial, revocationDate: entry.revokedAt, reason: REVOCATION_REASONS[entry.reason] })),
  });
  // RFC 7468's label, which OpenSSL and AWS read; @peculiar/x509 would write "BEGIN CRL".
  return x509.PemConverter.encode(crl.rawData, "X509 CRL");
}

export type CertificateStatus =
  | { readonly valid: true }
  | { readonly valid: false; readonly kind: "issuer" | "dates" | "crl" | "revoked"; readonly problem: string };

/**
 * Checks a client certificate the way the endpoint does: issued and signed by the CA, within its
 * dates, and, when a CRL is given, the CRL signed by the same CA, current, and not listing it.
 */
export async function checkCertificate(caPem: string, certificatePem: string, crlPem?: string, now = new Date()): Promise<CertificateStatus> {
  const ca = new x509.X509Certificate(caPem);
  const certificate = new x509.X509Certificate(certificatePem);
  if (certificate.issuer !== ca.subject || !(await certificate.verify({ publicKey: ca.publicKey, signatureOnly: true }))) {
    return { valid: false, kind: "issuer", problem: `certificate ${certificate.subject} is not signed by ${ca.subject}` };
  }
  if (now < certificate.notBefore || now > certificate.notAfter) return { valid: false, kind: "dates", problem: `certificate ${certificate.subject} is outside its validity dates` };
  if (crlPem === undefined) return { valid: true };
  const crl = new x509.X509Crl(crlPem);
  if (crl.issuer !== ca.subject || !(await crl.verify({ publicKey: ca.publicKey }))) return { valid: false, kind: "crl", problem: `the CRL is not signed by ${ca.subject}` };
  if (crl.nextUpdate && now > crl.nextUpdate) return { valid: false, kind: "crl", problem: `the CRL expired on ${crl.nextUpdate.toISOString()}` };
  const entry = crl.findRevoked(certificate);
  if (entry) return { valid: false, kind: "revoked", problem: `certificate ${certificate.subject} (serial ${certificate.serialNumber.toLowerCase()}) was revoked on ${entry.revocationDate.toISOString()}` };
  return { valid: true };
}
