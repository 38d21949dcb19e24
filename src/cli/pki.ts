import * as fs from "node:fs";
import { createAuthority, issue, loadAuthority } from "../pki/certificates";
import { pkiPaths, writeSecretFile } from "../pki/store";
import { parseArgs } from "./args";

const USAGE = "usage: npm run pki -- init --env NAME | npm run pki -- client --env NAME --user USER   [--dir pki]";

/**
 * Local PKI for Client VPN mutual TLS: `init` makes the environment's CA and server certificate,
 * `client` one user's certificate. Keys are written mode 0600 under pki/ (git-ignored), never into
 * cdktf.out. The hardened alternative is certificates issued elsewhere and referenced by ARN.
 */
export async function runPki(argv: readonly string[]): Promise<string[]> {
  const { words, options } = parseArgs(argv);
  const [command] = words;
  const env = options.env;
  if (!env || !/^[a-z][a-z0-9-]*$/.test(env)) throw new Error(`--env must name an environment. ${USAGE}`);
  const paths = pkiPaths(options.dir ?? "pki", env);
  if (command === "init") {
    if (fs.existsSync(paths.caKey)) throw new Error(`${paths.caKey} already exists; a new CA would invalidate every client certificate`);
    const ca = await createAuthority(`${env} Client VPN CA`);
    const server = await issue(ca, "server", `server.${env}.vpn.internal`);
    writeSecretFile(paths.caCertificate, ca.certificatePem);
    writeSecretFile(paths.caKey, ca.privateKeyPem);
    writeSecretFile(paths.serverCertificate, server.certificatePem);
    writeSecretFile(paths.serverKey, server.privateKeyPem);
    return [`wrote ${paths.caCertificate}, ${paths.caKey}, ${paths.serverCertificate}, ${paths.serverKey}`, `set access.clientVpn.certificates to { source: files, directory: ${paths.dir} }`];
  }
  if (command === "client") {
    const user = options.user;
    if (!user) throw new Error(`--user is required. ${USAGE}`);
    if (!fs.existsSync(paths.caKey)) throw new Error(`${paths.caKey} does not exist: run \`npm run pki -- init --env ${env}\` first`);
    const ca = await loadAuthority(fs.readFileSync(paths.caCertificate, "utf8"), fs.readFileSync(paths.caKey, "utf8"));
    const client = await issue(ca, "client", `${user}.${env}`);
    const files = paths.client(user);
    writeSecretFile(files.certificate, client.certificatePem);
    writeSecretFile(files.key, client.privateKeyPem);
    return [`wrote ${files.certificate}, ${files.key}`];
  }
  throw new Error(USAGE);
}

if (require.main === module) {
  runPki(process.argv.slice(2)).then(
    (lines) => lines.forEach((line) => console.log(line)),
    (error: Error) => {
      console.error(`pki: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
