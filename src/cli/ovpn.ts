import * as fs from "node:fs";
import { clientVpnSettings, renderOvpn } from "../pki/ovpn";
import { serialOf } from "../pki/certificates";
import { findRevocation } from "../pki/revocation";
import { pkiPaths, writeSecretFile } from "../pki/store";
import { CommandSpec, ParsedCommand, UsageError, runCommand, stringOption } from "./command";
import { PkiError, environmentName, loadEnvironment, readRevocations, report, userName } from "./pki";

export const ovpnCommand: CommandSpec = {
  name: "ovpn",
  summary:
    "Writes a ready .ovpn profile for one user (CA, certificate and key inline, mode 0600) next to the user's certificate. " +
    "Transport and port come from the environment file's access.clientVpn; the tunnel is split and DNS is pushed by the endpoint.",
  options: [
    { name: "env", type: "string", required: true, description: "environment name (environments/<env>.yaml, pki/<env>/)" },
    { name: "user", type: "string", required: true, description: "the user whose certificate `npm run pki -- client` issued" },
    { name: "endpoint", type: "string", required: true, description: "the endpoint's DNS name: the client_vpn_dns_name Terraform output" },
    { name: "dir", type: "string", defaultText: "pki", description: "PKI folder" },
    { name: "environments", type: "string", defaultText: "environments", description: "folder of environment files" },
  ],
  examples: ["npm run ovpn -- --env prod --user alice --endpoint \"$(terraform -chdir=cdktf.out/stacks/prod-aws output -raw client_vpn_dns_name)\""],
};

export interface OvpnRequest {
  readonly env: string;
  readonly user: string;
  readonly endpoint: string;
  readonly dir: string;
  readonly environments: string;
}

/** Writes the profile; returns its path and the settings it used. */
export function writeOvpnProfile(request: OvpnRequest): { file: string; lines: string[] } {
  const { env, user } = request;
  const environment = loadEnvironment(request.environments, env);
  const settings = clientVpnSettings(environment);
  const paths = pkiPaths(request.dir, env);
  const files = paths.client(user);
  for (const file of [paths.caCertificate, files.certificate, files.key]) {
    if (!fs.existsSync(file)) throw new PkiError(`${file} does not exist: run \`npm run pki -- client --env ${env} --user ${user}\` first`);
  }
  const certificatePem = fs.readFileSync(files.certificate, "utf8");
  const revoked = findRevocation(readRevocations(paths.revocations), serialOf(certificatePem));
  if (revoked) throw new PkiError(`${files.certificate} was revoked on ${revoked.revokedAt}: issue a new one with \`npm run pki -- client --env ${env} --user ${user}\``);
  const profile = renderOvpn({
    endpointDnsName: request.endpoint,
    transport: settings.transport,
    port: settings.port,
    dnsServers: settings.dnsServers,
    caPem: fs.readFileSync(paths.caCertificate, "utf8"),
    certificatePem,
    privateKeyPem: fs.readFileSync(files.key, "utf8"),
  });
  writeSecretFile(files.profile, profile, true);
  return {
    file: files.profile,
    lines: [`wrote ${files.profile} (${settings.transport} ${settings.port}, split tunnel, DNS ${settings.dnsServers.join(", ")} pushed by the endpoint)`],
  };
}

/** `--endpoint`: a DNS name, optionally with AWS's `*.` prefix (nothing that could add a directive). */
export function endpointName(value: string | undefined): string {
  if (value === undefined || !/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(value)) {
    throw new UsageError(`--endpoint must be the endpoint's DNS name (the client_vpn_dns_name output), got ${JSON.stringify(value ?? "")}`);
  }
  return value;
}

/** `npm run ovpn -- ...`: returns the exit code (0 written or help, 1 failed, 2 usage). */
export function runOvpn(argv: readonly string[]): Promise<number> {
  return runCommand(ovpnCommand, argv, (parsed: ParsedCommand) =>
    report("ovpn", () =>
      writeOvpnProfile({
        env: environmentName(stringOption(parsed, "env")),
        user: userName(stringOption(parsed, "user")),
        endpoint: endpointName(stringOption(parsed, "endpoint")),
        dir: stringOption(parsed, "dir") ?? "pki",
        environments: stringOption(parsed, "environments") ?? "environments",
      }).lines,
    ),
  );
}

if (require.main === module) {
  runOvpn(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
