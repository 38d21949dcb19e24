import * as fs from "node:fs";
import { renderOvpn } from "../pki/ovpn";
import { pkiPaths, writeSecretFile } from "../pki/store";
import { parseArgs } from "./args";

const USAGE = "usage: npm run ovpn -- --env NAME --user USER --endpoint DNS_NAME [--transport udp|tcp] [--port 443] [--dir pki]";

/**
 * Writes a ready `.ovpn` profile for one user (CA, certificate and key inline) next to the user's
 * certificate. DNS_NAME is the `client_vpn_dns_name` output of the environment's AWS stack.
 */
export function runOvpn(argv: readonly string[]): string {
  const { options } = parseArgs(argv);
  const { env, user, endpoint } = options;
  if (!env || !user || !endpoint) throw new Error(USAGE);
  const transport = options.transport ?? "udp";
  if (transport !== "udp" && transport !== "tcp") throw new Error(`--transport must be udp or tcp, got ${transport}`);
  const port = Number(options.port ?? 443);
  if (port !== 443 && port !== 1194) throw new Error(`--port must be 443 or 1194, got ${options.port}`);
  const paths = pkiPaths(options.dir ?? "pki", env);
  const files = paths.client(user);
  for (const file of [paths.caCertificate, files.certificate, files.key]) {
    if (!fs.existsSync(file)) throw new Error(`${file} does not exist: run \`npm run pki -- client --env ${env} --user ${user}\` first`);
  }
  const profile = renderOvpn({
    endpointDnsName: endpoint,
    transport,
    port,
    caPem: fs.readFileSync(paths.caCertificate, "utf8"),
    certificatePem: fs.readFileSync(files.certificate, "utf8"),
    privateKeyPem: fs.readFileSync(files.key, "utf8"),
  });
  writeSecretFile(files.profile, profile, true);
  return files.profile;
}

if (require.main === module) {
  try {
    console.log(`wrote ${runOvpn(process.argv.slice(2))}`);
  } catch (error) {
    console.error(`ovpn: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
