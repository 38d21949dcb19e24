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
