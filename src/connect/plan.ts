import { shellQuote } from "../../modules/common/shell-quote";
import type { EnvironmentConfig } from "../config/load";

/** The declared paths `npm run connect` opens. */
export const CONNECT_TARGETS = ["shell", "db", "db-token", "cache", "cache-token", "vpn"] as const;
export type ConnectTarget = (typeof CONNECT_TARGETS)[number];

export interface ConnectOptions {
  readonly via?: "ssm" | "eic";
  readonly instance?: "app" | "bastion";
  readonly localPort?: number;
  /** vpn: whose profile to write. */
  readonly user?: string;
}

/** Terraform outputs of `<env>-aws` (`terraform output -json` values). */
export type StackOutputs = Readonly<Record<string, unknown>>;

/** A path that cannot be opened as asked: one line, naming the setting or output that is missing. */
export class ConnectError extends Error {}

/** What connect will do: find an instance (for Session Manager and EIC), then run one command. */
export interface ConnectPlan {
  /** The AWS CLI call that lists the group's in-service instances, when an app server is needed. */
  readonly instanceLookup?: readonly string[];
  /** The command, with `{instance}` where the instance id goes. */
  readonly command: readonly string[];
  /** Programs the command needs on PATH. */
  readonly needs: readonly string[];
  /** Printed before the command runs (what to do next, e.g. the client line). */
  readonly notes: readonly string[];
}

function output(outputs: StackOutputs, name: string, env: EnvironmentConfig): string {
  const value = outputs[name];
  if (value === undefined || value === null || value === "") {
    throw new ConnectError(`output ${name} of ${env.name}-aws is missing: apply the stack first (terraform -chdir=cdktf.out/stacks/${env.name}-aws apply)`);
  }
  return String(value);
}

function lookup(env: EnvironmentConfig, outputs: StackOutputs): string[] {
  return [
    "aws", "autoscaling", "describe-auto-scaling-groups", "--region", env.aws.region,
    "--auto-scaling-group-names", output(outputs, "app_autoscaling_group", env),
    "--query", "AutoScalingGroups[0].Instances[?LifecycleState=='InService'].InstanceId", "--output", "text",
  ];
}

function needSession(env: EnvironmentConfig, what: string): void {
  if (!env.access?.sessionManager?.enabled) throw new ConnectError(`${what} goes through Session Manager, which ${env.file} does not enable (access.sessionManager)`);
}

/** The commands for one declared path, from the environment's settings and the stack's outputs. */
export function connectPlan(target: ConnectTarget, env: EnvironmentConfig, outputs: StackOutputs, options: ConnectOptions = {}): ConnectPlan {
  const region = env.aws.region;
  const via = options.via ?? "ssm";
  switch (target) {
    case "shell": {
      const bastion = options.instance === "bastion";
      if (bastion && !env.access?.bastion?.enabled) throw new ConnectError(`--instance bastion: ${env.file} has no bastion (access.bastion.enabled)`);
      if (!env.webTier?.enabled && !bastion) throw new ConnectError(`${env.file} has no app servers (webTier)`);
      const instance = bastion ? output(outputs, "bastion_instance_id", env) : "{instance}";
      if (via === "eic") {
        const eic = env.access?.instanceConnect;
        if (!eic?.enabled) throw new ConnectError(`--via eic: ${env.file} does not enable the EC2 Instance Connect Endpoint (access.instanceConnect)`);
        if (bastion) throw new ConnectError("--via eic reaches the app servers; reach the bastion with Session Manager or SSH from its allowed networks");
        return {
          instanceLookup: lookup(env, outputs),
          command: ["aws", "ec2-instance-connect", "ssh", "--region", region, "--instance-id", instance, "--os-user", eic.osUsers[0], "--connection-type", "eice"],
          needs: ["aws"],
          notes: [`SSH as ${eic.osUsers[0]} with a key pushed for 60 seconds, through endpoint ${output(outputs, "eic_endpoint_id", env)}`],
        };
      }
      needSession(env, "a shell");
      return {
        instanceLookup: bastion ? undefined : lookup(env, outputs),
        command: ["aws", "ssm", "start-session", "--region", region, "--target", instance],
        needs: ["aws", "session-manager-plugin"],
        notes: ["a shell on the instance, encrypted and logged; exit to end the session"],
      };
    }
    case "db":
    case "db-token": {
      const database = env.dataTier?.database;
      if (!database?.enabled) throw new ConnectError(`${env.file} has no database (dataTier.database)`);
      const port = Number(output(outputs, "database_port", env));
      const local = options.localPort ?? port;
      const host = output(outputs, "database_endpoint", env);
      const user = output(outputs, "database_operator_user", env);
      if (target === "db-token") {
        return { command: ["aws", "configure", "export-credentials", "--format", "process"], needs: ["aws"], notes: [] };
      }
      const client = databaseClientNotes(env, outputs, { host, local, user, engine: database.engine, databaseName: database.databaseName });
      if (via === "eic") {
        const eic = env.access?.instanceConnect;
        if (!eic?.enabled || !eic.databaseTunnel) throw new ConnectError(`--via eic: ${env.file} does not enable access.instanceConnect.databaseTunnel`);
        if (![22, 3389].includes(port)) throw new ConnectError(`--via eic: the endpoint tunnels only to ports 22 and 3389; the database listens on ${port}`);
        return {
          command: ["aws", "ec2-instance-connect", "open-tunnel", "--region", region, "--instance-connect-endpoint-id", output(outputs, "eic_endpoint_id", env), "--private-ip-address", "{database-ip}", "--remote-port", String(port), "--local-port", String(local)],
          needs: ["aws"],
          notes: [`the database is on localhost:${local} while this runs (through the EC2 Instance Connect Endpoint); in another terminal (the token is valid for 15 minutes):`, ...client],
        };
      }
      needSession(env, "the database tunnel");
      return {
        instanceLookup: lookup(env, outputs),
        command: ["aws", "ssm", "start-session", "--region", region, "--target", "{instance}", "--document-name", "AWS-StartPortForwardingSessionToRemoteHost", "--parameters", JSON.stringify({ host: [host], portNumber: [String(port)], localPortNumber: [String(local)] })],
        needs: ["aws", "session-manager-plugin"],
        notes: [`the database is on localhost:${local} while this runs (through an app server); in another terminal (the token is valid for 15 minutes):`, ...client],
      };
    }
    case "cache":
    case "cache-token": {
      if (!env.dataTier?.cache?.enabled) throw new ConnectError(`${env.file} has no cache (dataTier.cache)`);
      const port = Number(output(outputs, "cache_port", env));
      const local = options.localPort ?? port;
      const host = output(outputs, "cache_endpoint", env);
      const user = output(outputs, "cache_operator_user", env);
      if (target === "cache-token") {
        return { command: ["aws", "configure", "export-credentials", "--format", "process"], needs: ["aws"], notes: [] };
      }
      needSession(env, "the cache tunnel");
      return {
        instanceLookup: lookup(env, outputs),
        command: ["aws", "ssm", "start-session", "--region", region, "--target", "{instance}", "--document-name", "AWS-StartPortForwardingSessionToRemoteHost", "--parameters", JSON.stringify({ host: [host], portNumber: [String(port)], localPortNumber: [String(local)] })],
        needs: ["aws", "session-manager-plugin"],
        notes: [
          `the cache is on localhost:${local} while this runs; in another terminal (the token is valid for 15 minutes):`,
          `  redis-cli --tls --sni ${host} -h localhost -p ${local} --user ${user} --pass "$(npm run --silent connect -- ${env.name} cache-token)"`,
        ],
      };
    }
    case "vpn": {
      if (!env.access?.clientVpn?.enabled) throw new ConnectError(`${env.file} has no Client VPN (access.clientVpn)`);
      if (!options.user) throw new ConnectError("vpn: --user names whose profile to write (their certificate comes from npm run pki -- client)");
      return {
        command: ["npm", "run", "--silent", "ovpn", "--", "--env", env.name, "--user", options.user, "--endpoint", output(outputs, "client_vpn_dns_name", env)],
        needs: ["npm"],
        notes: ["open the written profile with OpenVPN or Tunnelblick; only VPC-bound traffic enters the tunnel"],
      };
    }
  }
}

/**
 * How an operator signs in through a local forward: as the IAM-authenticated operator user with a
 * token from `connect <env> db-token`, TLS verified against the RDS CA bundle of the region and the
 * instance's real host name while the client dials 127.0.0.1 (psql's `hostaddr`; mysql has no such
 * option, so the name must resolve to the forward). The master password stays break-glass.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.Connecting.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html (regional bundles)
 */
function databaseClientNotes(
  env: EnvironmentConfig,
  outputs: StackOutputs,
  db: { host: string; local: number; user: string; engine: "postgres" | "mysql"; databaseName: string },
): string[] {
  const region = env.aws.region;
  const bundle = `${region}-bundle.pem`;
  const token = `"$(npm run --silent connect -- ${env.name} db-token)"`;
  const { host, local, user } = db;
  const secret = output(outputs, "database_master_secret_arn", env);
  const lines = [`  the RDS CA bundle, once: curl -fsSo ${bundle} https://truststore.pki.rds.amazonaws.com/${region}/${bundle}`];
  if (db.engine === "postgres") {
    lines.push(
      `  the user, once (as the master user): CREATE USER ${user}; GRANT rds_iam TO ${user};   then grant what operators may do, e.g. GRANT pg_read_all_data TO ${user}; (PostgreSQL 14+)`,
      `  PGPASSWORD=${token} psql "host=${host} hostaddr=127.0.0.1 port=${local} dbname=${db.databaseName} user=${user} sslmode=verify-full sslrootcert=${bundle}"`,
    );
  } else {
    lines.push(
      `  the user, once (as the master user): CREATE USER '${user}'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'; ALTER USER '${user}'@'%' REQUIRE SSL;   then grant what operators may do, e.g. GRANT SELECT ON ${db.databaseName}.* TO '${user}'@'%';`,
      `  mysql has no hostaddr and verifies the name it dials: while the forward runs, make ${host} resolve to 127.0.0.1 (a line in /etc/hosts)`,
      `  mysql --host=${host} --port=${local} --user=${user} --enable-cleartext-plugin --password=${token} --ssl-mode=VERIFY_IDENTITY --ssl-ca=${bundle}`,
    );
  }
  lines.push(
    `  break-glass only: the master password is in Secrets Manager (aws secretsmanager get-secret-value --region ${region} --secret-id ${secret} --query SecretString --output text); no operator policy grants reading it or its key`,
  );
  return lines;
}

/** A command as one line a person can paste (single-quoted where needed). */
export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}
