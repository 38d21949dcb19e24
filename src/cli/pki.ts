import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigErrors } from "../config/errors";
import { EnvironmentConfig, findEnvironmentFiles, loadEnvironmentFile } from "../config/load";
import { REVOCATION_REASONS, RevocationReason, checkCertificate, createAuthority, createRevocationList, issue, loadAuthority, serialOf } from "../pki/certificates";
import {
  EMPTY_REVOCATION_LIST, RevocationList, addRevocation, endpointIdLookup, findRevocation, importCrlArguments, importCrlCommand, parseRevocationList,
  renderRevocationList, revokedSerials,
} from "../pki/revocation";
import { pkiPaths, writePublicFile, writeSecretFile } from "../pki/store";
import { CommandSpec, OptionSpec, ParsedCommand, UsageError, booleanOption, runCommand, stringOption } from "./command";

/*
 * Local PKI for Client VPN mutual TLS: `init` makes the environment's CA and server certificate,
 * `client` one user's certificate, `revoke` puts a user's certificate on the CA's CRL, `list` shows
 * who holds one. Keys are written mode 0600 under pki/ (git-ignored), never into cdktf.out. The
 * hardened alternative is certificates issued elsewhere and referenced by ARN.
 */

const ENV_NAME = /^[a-z][a-z0-9-]*$/;
const ENDPOINT_ID = /^cvpn-endpoint-[0-9a-f]{8,32}$/;
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9.@_-]{0,62}$/;

/** A failure of the command itself (not of its arguments): one line, exit 1. */
export class PkiError extends Error {}

/** Checks `--env` and `--user` values; a bad one is a usage mistake (exit 2). */
export function environmentName(value: string | undefined): string {
  if (value === undefined || !ENV_NAME.test(value)) throw new UsageError(`--env must be an environment name (lowercase letters, digits and dashes), got "${value ?? ""}"`);
  return value;
}

export function userName(value: string | undefined): string {
  if (value === undefined || !USER_NAME.test(value)) throw new UsageError(`--user must be 1-63 letters, digits, . @ _ - (starting with a letter or digit), got "${value ?? ""}"`);
  return value;
}

export function endpointId(value: string | undefined): string | undefined {
  if (value !== undefined && !ENDPOINT_ID.test(value)) throw new UsageError(`--endpoint-id must be a Client VPN endpoint id (cvpn-endpoint-…), got "${value}"`);
  return value;
}

/**
 * Runs a command's body: its output lines to stdout (exit 0); a usage mistake found after parsing
 * as one line (exit 2); an environment file's errors one per line, or any other failure as one
 * line (exit 1).
 */
export async function report(name: string, body: () => Promise<string[]> | string[]): Promise<number> {
  try {
    for (const line of await body()) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${name}: ${error.message}`);
      return 2;
    }
    if (error instanceof ConfigErrors) {
      console.error(error.message);
      return 1;
    }
    console.error(`${name}: ${(error as Error).message.split("\n")[0]}`);
    return 1;
  }
}

/** `environments/<env>.yaml` (or .yml/.json), validated. */
export function loadEnvironment(environmentsDir: string, env: string): EnvironmentConfig {
  const [file] = findEnvironmentFiles(environmentsDir, [env]);
  return loadEnvironmentFile(file);
}

/** `revoked.json`, or an empty list before the first revocation. */
export function readRevocations(file: string): RevocationList {
  if (!fs.existsSync(file)) return EMPTY_REVOCATION_LIST;
  return parseRevocationList(file, fs.readFileSync(file, "utf8"));
}

// ---- the commands (IO here, logic in src/pki) ----

export async function pkiInit(request: { env: string; dir: string }): Promise<string[]> {
  const paths = pkiPaths(request.dir, request.env);
  if (fs.existsSync(paths.caKey)) throw new PkiError(`${paths.caKey} already exists; a new CA would invalidate every client certificate`);
  const ca = await createAuthority(`${request.env} Client VPN CA`);
  const server = await issue(ca, "server", `server.${request.env}.vpn.internal`);
  writeSecretFile(paths.caCertificate, ca.certificatePem);
  writeSecretFile(paths.caKey, ca.privateKeyPem);
  writeSecretFile(paths.serverCertificate, server.certificatePem);
  writeSecretFile(paths.serverKey, server.privateKeyPem);
  return [`wrote ${paths.caCertificate}, ${paths.caKey}, ${paths.serverCertificate}, ${paths.serverKey}`, `set access.clientVpn.certificates to { source: files, directory: ${paths.dir} }`];
}

function requireCa(paths: ReturnType<typeof pkiPaths>, env: string): void {
  if (!fs.existsSync(paths.caKey)) throw new PkiError(`${paths.caKey} does not exist: run \`npm run pki -- init --env ${env}\` first`);
}

export async function pkiClient(request: { env: string; user: string; dir: string }): Promise<string[]> {
  const { env, user } = request;
  const paths = pkiPaths(request.dir, env);
  requireCa(paths, env);
  const files = paths.client(user);
  // A user whose certificate was revoked may be issued a new one; anyone else keeps theirs.
  let replacing = false;
  if (fs.existsSync(files.certificate)) {
    const revoked = findRevocation(readRevocations(paths.revocations), serialOf(fs.readFileSync(files.certificate, "utf8")));
    if (!revoked) throw new PkiError(`${files.certificate} already exists; revoke it first (\`npm run pki -- revoke --env ${env} --user ${user}\`) to issue a new one`);
    replacing = true;
  }
  const ca = await loadAuthority(fs.readFileSync(paths.caCertificate, "utf8"), fs.readFileSync(paths.caKey, "utf8"));
  const client = await issue(ca, "client", `${user}.${env}`);
  writeSecretFile(files.certificate, client.certificatePem, replacing);
  writeSecretFile(files.key, client.privateKeyPem, replacing);
  return [`wrote ${files.certificate}, ${files.key}${replacing ? " (replacing a revoked certificate)" : ""}`];
}

export interface RevokeRequest {
  readonly env: string;
  readonly user: string;
  readonly dir: string;
  readonly environments: string;
  readonly endpointId?: string;
  readonly reason: RevocationReason;
  /** Run the import with the AWS CLI instead of printing it. */
  readonly run: boolean;
  readonly now?: Date;
}

/** Runs a program from PATH with inherited output; a missing program or a failure is one line. */
function runProgram(program: string, args: readonly string[], capture: boolean): string {
  const result = spawnSync(program, args, { env: process.env, stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit", encoding: "utf8" });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new PkiError(missing ? `${program} is not on PATH: install it, or run the printed command yourself` : `${program} could not be started: ${result.error.message}`);
  }
  if (result.status !== 0) throw new PkiError(`${program} ${args.slice(0, 2).join(" ")} failed (exit code ${result.status ?? result.signal})`);
  return capture ? String(result.stdout).trim() : "";
}

export async function pkiRevoke(request: RevokeRequest): Promise<string[]> {
  const { env, user } = request;
  const now = request.now ?? new Date();
  const environment = loadEnvironment(request.environments, env);
  const paths = pkiPaths(request.dir, env);
  requireCa(paths, env);
  const files = paths.client(user);
  if (!fs.existsSync(files.certificate)) {
    const known = fs.existsSync(paths.clientsDir) ? fs.readdirSync(paths.clientsDir).filter((f) => f.endsWith(".crt")).map((f) => f.slice(0, -4)).sort() : [];
    throw new PkiError(`no certificate for user "${user}" in ${paths.clientsDir} (users: ${known.join(", ") || "none"})`);
  }
  const certificatePem = fs.readFileSync(files.certificate, "utf8");
  const caPem = fs.readFileSync(paths.caCertificate, "utf8");
  const status = await checkCertificate(caPem, certificatePem, undefined, now);
  if (!status.valid && status.kind === "issuer") throw new PkiError(`${files.certificate} was not issued by ${paths.caCertificate}`);
  const list = addRevocation(readRevocations(paths.revocations), {
    serial: serialOf(certificatePem), user, commonName: `${user}.${env}`, revokedAt: now.toISOString(), reason: request.reason,
  });
  const vpnEnabled = environment.access?.clientVpn?.enabled === true;
  const region = environment.aws.region;
  // Everything that can fail before the import is checked before anything is written.
  if (request.run && !vpnEnabled) throw new PkiError(`${environment.file}: access.clientVpn is not enabled, so there is no endpoint to import the CRL into`);
  let endpoint = request.endpointId;
  if (request.run && endpoint === undefined) {
    endpoint = runProgram("terraform", endpointIdLookup(env), true);
    if (!ENDPOINT_ID.test(endpoint)) throw new PkiError(`terraform's client_vpn_endpoint_id output is "${endpoint}", not a Client VPN endpoint id; pass --endpoint-id`);
  }
  const ca = await loadAuthority(caPem, fs.readFileSync(paths.caKey, "utf8"));
  const crlPem = await createRevocationList(ca, revokedSerials(list), list.crlNumber, now);
  writePublicFile(paths.crl, crlPem);
  writePublicFile(paths.revocations, renderRevocationList(list));
  const serial = list.revoked[list.revoked.length - 1].serial;
  const lines = [
    `revoked ${user}'s certificate (serial ${serial}); wrote ${paths.crl} (CRL number ${list.crlNumber}, ${list.revoked.length} revoked) and ${paths.revocations}`,
  ];
  if (!vpnEnabled) return [...lines, `${environment.file} has no Client VPN enabled: import ${paths.crl} once the endpoint exists`];
  if (!request.run || endpoint === undefined) {
    return [...lines, "the endpoint refuses the certificate once the CRL is imported:", `  ${importCrlCommand(region, env, paths.crl, request.endpointId)}`];
  }
  for (const line of lines) console.log(line);
  try {
    runProgram("aws", importCrlArguments(region, endpoint, paths.crl), false);
  } catch (error) {
    throw new PkiError(`${(error as Error).message}; ${paths.crl} is written, import it with: ${importCrlCommand(region, env, paths.crl, endpoint)}`);
  }
  return [`imported ${paths.crl} into ${endpoint} (${region})`];
}

export function pkiList(request: { env: string; dir: string }): string[] {
  const paths = pkiPaths(request.dir, request.env);
  requireCa(paths, request.env);
  const revocations = readRevocations(paths.revocations);
  const users = fs.existsSync(paths.clientsDir) ? fs.readdirSync(paths.clientsDir).filter((f) => f.endsWith(".crt")).sort() : [];
  const current = users.map((file) => {
    const pem = fs.readFileSync(path.join(paths.clientsDir, file), "utf8");
    const serial = serialOf(pem);
    return { user: file.slice(0, -4), serial, state: findRevocation(revocations, serial) ? `revoked ${findRevocation(revocations, serial)?.revokedAt}` : "valid" };
  });
  // Revoked certificates already replaced by a new one are still on the CRL: show them too.
  const replaced = revocations.revoked.filter((r) => !current.some((c) => c.serial === r.serial)).map((r) => ({ user: r.user, serial: r.serial, state: `revoked ${r.revokedAt} (replaced)` }));
  const rows = [...current, ...replaced].sort((a, b) => a.user.localeCompare(b.user));
  if (rows.length === 0) return [`no client certificates in ${paths.clientsDir}`];
  const width = Math.max(4, ...rows.map((r) => r.user.length));
  return [`${"user".padEnd(width)}  ${"serial".padEnd(32)}  state`, ...rows.map((r) => `${r.user.padEnd(width)}  ${r.serial.padEnd(32)}  ${r.state}`)];
}

// ---- the command line ----

const env: OptionSpec = { name: "env", type: "string", required: true, description: "environment name (pki/<env>/)" };
const user: OptionSpec = { name: "user", type: "string", required: true, description: "user name (certificate CN <user>.<env>)" };
const dir: OptionSpec = { name: "dir", type: "string", defaultText: "pki", description: "PKI folder" };

export const pkiCommands: Record<string, CommandSpec> = {
  init: {
    name: "pki", summary: "Creates the environment's Client VPN CA and server certificate (keys mode 0600).",
    words: [{ name: "init", description: "the subcommand" }], options: [env, dir], examples: ["npm run pki -- init --env prod"],
  },
  client: {
    name: "pki", summary: "Issues one user's client certificate (a revoked user may be issued a new one).",
    words: [{ name: "client", description: "the subcommand" }], options: [env, user, dir], examples: ["npm run pki -- client --env prod --user alice"],
  },
  revoke: {
    name: "pki",
    summary: "Revokes a user's client certificate: records it in pki/<env>/revoked.json, writes the CA-signed CRL pki/<env>/crl.pem, and prints (or runs) the AWS CLI step that imports it into the endpoint.",
    words: [{ name: "revoke", description: "the subcommand" }],
    options: [
      env, user, dir,
      { name: "environments", type: "string", defaultText: "environments", description: "folder of environment files (the region comes from <env>.yaml)" },
      { name: "endpoint-id", type: "string", description: "Client VPN endpoint id (default: the stack's client_vpn_endpoint_id Terraform output)" },
      { name: "reason", type: { oneOf: Object.keys(REVOCATION_REASONS) }, defaultText: "cessationOfOperation", description: "CRL reason code" },
      { name: "run", type: "boolean", description: "run the import with the aws CLI instead of printing it" },
    ],
    examples: ["npm run pki -- revoke --env prod --user alice", "npm run pki -- revoke --env prod --user alice --endpoint-id cvpn-endpoint-0123456789abcdef0 --run"],
  },
  list: {
    name: "pki", summary: "Lists the environment's client certificates: user, serial, valid or revoked.",
    words: [{ name: "list", description: "the subcommand" }], options: [env, dir], examples: ["npm run pki -- list --env prod"],
  },
};

const SUBCOMMANDS = Object.keys(pkiCommands);

function overviewHelp(): string {
  const lines = ["usage: npm run pki -- <command> [options]", "", "Local PKI for AWS Client VPN mutual TLS.", "", "commands:"];
  for (const [name, spec] of Object.entries(pkiCommands)) lines.push(`  ${name.padEnd(10)} ${spec.summary}`);
  lines.push("", "npm run pki -- <command> --help shows a command's options.");
  return `${lines.join("\n")}\n`;
}

/** `npm run pki -- <command> ...`: returns the exit code (0 done or help, 1 failed, 2 usage). */
export async function runPki(argv: readonly string[]): Promise<number> {
  const args = argv.filter((arg, index) => !(arg === "--" && index === 0));
  const [command] = args;
  if (command === undefined || command === "--help" || command === "-h") {
    if (command === undefined) {
      console.error(`pki: missing <command> (${SUBCOMMANDS.join(", ")}); see --help`);
      return 2;
    }
    process.stdout.write(overviewHelp());
    return 0;
  }
  const spec = pkiCommands[command];
  if (!spec) {
    console.error(`pki: unknown command "${command}" (${SUBCOMMANDS.join(", ")}); see --help`);
    return 2;
  }
  return runCommand(spec, args, (parsed: ParsedCommand) =>
    report("pki", () => {
      const common = { env: environmentName(stringOption(parsed, "env")), dir: stringOption(parsed, "dir") ?? "pki" };
      switch (command) {
        case "init":
          return pkiInit(common);
        case "client":
          return pkiClient({ ...common, user: userName(stringOption(parsed, "user")) });
        case "revoke":
          return pkiRevoke({
            ...common,
            user: userName(stringOption(parsed, "user")),
            environments: stringOption(parsed, "environments") ?? "environments",
            endpointId: endpointId(stringOption(parsed, "endpoint-id")),
            reason: (stringOption(parsed, "reason") ?? "cessationOfOperation") as RevocationReason,
            run: booleanOption(parsed, "run"),
          });
        default:
          return pkiList(common);
      }
    }),
  );
}

if (require.main === module) {
  runPki(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
