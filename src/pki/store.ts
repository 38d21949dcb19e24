import * as fs from "node:fs";
import * as path from "node:path";

/** Writes a file only its owner can read; refuses to overwrite unless asked. */
export function writeSecretFile(file: string, content: string, overwrite = false): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, content, { mode: 0o600, flag: overwrite ? "w" : "wx" });
  fs.chmodSync(file, 0o600);
}

/** Where one environment's PKI lives: `<root>/<env>/` with `clients/` below. */
export function pkiPaths(root: string, environment: string) {
  const dir = path.join(root, environment);
  return {
    dir,
    caCertificate: path.join(dir, "ca.crt"),
    caKey: path.join(dir, "ca.key"),
    serverCertificate: path.join(dir, "server.crt"),
    serverKey: path.join(dir, "server.key"),
    /** Every revocation so far (serial, user, date); public, like the CRL. */
    revocations: path.join(dir, "revoked.json"),
    /** The CA-signed CRL to import into the Client VPN endpoint. */
    crl: path.join(dir, "crl.pem"),
    clientsDir: path.join(dir, "clients"),
    client: (user: string) => ({
      certificate: path.join(dir, "clients", `${user}.crt`),
      key: path.join(dir, "clients", `${user}.key`),
      profile: path.join(dir, "clients", `${user}.ovpn`),
    }),
  };
}

/** Writes a public file (a CRL, the revocation list): owner read-write, everyone else read. */
export function writePublicFile(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`; // replaced whole or not at all
  fs.writeFileSync(temporary, content, { mode: 0o644 });
  fs.chmodSync(temporary, 0o644);
  fs.renameSync(temporary, file);
}
