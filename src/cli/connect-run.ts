import { spawnSync } from "node:child_process";
import * as dns from "node:dns";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigErrors } from "../config/errors";
import { findEnvironmentFiles, loadEnvironmentFile } from "../config/load";
import { CONNECT_TARGETS, ConnectError, ConnectTarget, StackOutputs, connectPlan, shellLine } from "../connect/plan";
import { credentialsFromProcessJson, elasticacheAuthToken } from "../connect/elasticache-token";
import { rdsAuthToken } from "../connect/rds-token";
import { terraformErrorLine } from "../drift/report";
import { ParsedCommand, STDIO, booleanOption, numberOption, paint, plainText, readInput, stringOption } from "./command";

/**
 * The heavy half of `npm run connect` (./connect.ts reads the arguments, then loads this through
 * ./bundle-load: from dist/bundle/connect.cjs when it is fresh, else this file's plain build).
 */

/** Is `program` an executable on PATH? */
export function onPath(program: string, envPath = process.env.PATH ?? ""): boolean {
  return envPath.split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, program), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const INSTALL: Record<string, string> = {
  aws: "the AWS CLI v2 is not on PATH (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)",
  "session-manager-plugin": "the Session Manager plugin is not on PATH (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html)",
  npm: "npm is not on PATH",
};

/** What to do when the stack's outputs cannot be read here. */
function nextStep(stackDir: string): string {
  return `apply the stack first (terraform -chdir=${stackDir} init, then apply), or pass --outputs <file> (its terraform output -json; - reads standard input)`;
}

function readOutputs(envName: string, outdir: string, file: string | undefined): StackOutputs {
  let text: string;
  const stackDir = path.join(outdir, "stacks", `${envName}-aws`);
  if (file) {
    try {
      text = readInput(file);
    } catch {
      throw new ConnectError(`${file === STDIO ? "standard input" : file} cannot be read`);
    }
  } else {
    if (!fs.existsSync(stackDir)) throw new ConnectError(`${stackDir} does not exist: run npm run synth, then ${nextStep(stackDir)}`);
    const run = spawnSync("terraform", [`-chdir=${stackDir}`, "output", "-json", "-no-color"], { encoding: "utf8" });
    if (run.error) throw new ConnectError(`terraform is not on PATH (it reads the stack's outputs); install it, or pass --outputs <file>`);
    if (run.status !== 0) {
      const reason = terraformErrorLine(run.stderr, run.stdout) ?? `exit code ${run.status}`;
      const notApplied = /initiali[sz]ation required|terraform init|no state/i.test(reason);
      throw new ConnectError(`${notApplied ? `${envName}-aws has not been applied from here (terraform has no state for it)` : `terraform output failed (${reason})`}: ${nextStep(stackDir)}`);
    }
    text = run.stdout;
  }
  let parsed: Record<string, { value?: unknown }>;
  try {
    parsed = JSON.parse(text || "{}") as Record<string, { value?: unknown }>;
  } catch {
    throw new ConnectError(`${file === STDIO ? "standard input" : (file ?? "terraform output")} is not JSON (it takes what terraform output -json prints)`);
  }
  const outputs = Object.fromEntries(Object.entries(parsed).map(([name, entry]) => [name, entry && typeof entry === "object" && "value" in entry ? entry.value : entry]));
  if (Object.keys(outputs).length === 0) throw new ConnectError(`${envName}-aws has no outputs yet: ${nextStep(stackDir)}`);
  return outputs;
}

function run(argv: readonly string[], capture: boolean): { status: number; stdout: string } {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit" });
  if (result.error) throw new ConnectError(`${argv[0]} could not be started: ${result.error.message}`);
  return { status: result.status ?? 1, stdout: capture ? result.stdout : "" };
}

async function connect(words: string[], options: { via?: string; instance?: string; index: number; localPort?: number; user?: string; outputs?: string; out: string; print: boolean }): Promise<number> {
  const [envName, targetWord] = words;
  if (!(CONNECT_TARGETS as readonly string[]).includes(targetWord)) throw new ConnectError(`target must be one of ${CONNECT_TARGETS.join(", ")}, got "${targetWord}"`);
  const target = targetWord as ConnectTarget;
  const [file] = findEnvironmentFiles("environments", [envName]);
  const env = loadEnvironmentFile(file);
  const outputs = readOutputs(env.name, options.out, options.outputs);
  const plan = connectPlan(target, env, outputs, { via: options.via as "ssm" | "eic" | undefined, instance: options.instance as "app" | "bastion" | undefined, localPort: options.localPort, user: options.user });
  if (!options.print) for (const program of plan.needs) if (!onPath(program)) throw new ConnectError(INSTALL[program] ?? `${program} is not on PATH`);

  let command = [...plan.command];
  const log = (line: string) => console.error(line);
  if (plan.instanceLookup) {
    if (options.print) {
      console.log(`instance=$(${shellLine(plan.instanceLookup)} | tr '\\t' '\\n' | sed -n ${options.index + 1}p)`);
      command = command.map((arg) => (arg === "{instance}" ? "$instance" : arg));
    } else {
      log(`$ ${shellLine(plan.instanceLookup)}`);
      const found = run(plan.instanceLookup, true);
      const ids = found.stdout.split(/\s+/).filter((id) => /^i-[0-9a-f]+$/.test(id));
      if (found.status !== 0) throw new ConnectError("the app servers could not be listed (see the AWS CLI's message above)");
      if (ids.length <= options.index) throw new ConnectError(`no in-service app server at --index ${options.index} (the group has ${ids.length})`);
      command = command.map((arg) => (arg === "{instance}" ? ids[options.index] : arg));
    }
  }
  if (command.includes("{database-ip}")) {
    const host = String(outputs.database_endpoint);
    if (options.print) command = command.map((arg) => (arg === "{database-ip}" ? `$(dig +short ${host} | head -1)` : arg));
    else {
      const { address } = await dns.promises.lookup(host, { family: 4 }).catch(() => {
        throw new ConnectError(`${host} does not resolve from here (RDS names resolve to the private address publicly; check your DNS)`);
      });
      command = command.map((arg) => (arg === "{database-ip}" ? address : arg));
    }
  }

  if (target === "cache-token" || target === "db-token") {
    const user = String(target === "cache-token" ? outputs.cache_operator_user : outputs.database_operator_user);
    if (options.print) {
      console.log(`${shellLine(command)}   # then sign a connect request for ${user} (15 minutes)`);
      return 0;
    }
    const exported = run(command, true);
    if (exported.status !== 0) throw new ConnectError("the AWS CLI gave no credentials (aws configure export-credentials needs AWS CLI v2.9 or later)");
    const credentials = credentialsFromProcessJson(exported.stdout);
    const token =
      target === "cache-token"
        ? await elasticacheAuthToken({ replicationGroupId: String(outputs.cache_replication_group_id), userId: user, region: env.aws.region, credentials })
        : await rdsAuthToken({ hostname: String(outputs.database_endpoint), port: Number(outputs.database_port), user, region: env.aws.region, credentials });
    console.log(token);
    return 0;
  }

  if (options.print) {
    console.log(shellLine(command).replace(/'\$(instance|\(dig[^']*\))'/g, '"$$$1"'));
    for (const note of plan.notes) console.log(`# ${note}`);
    return 0;
  }
  for (const note of plan.notes) log(note);
  log(`$ ${shellLine(command)}`);
  return run(command, false).status;
}

/** The command once its arguments are read: exit code 1 with one line for what stops it. */
export async function runConnect(args: ParsedCommand): Promise<number> {
  try {
    return await connect(args.words, {
      via: stringOption(args, "via"),
      instance: stringOption(args, "instance"),
      index: numberOption(args, "index") ?? 0,
      localPort: numberOption(args, "local-port"),
      user: stringOption(args, "user"),
      outputs: stringOption(args, "outputs"),
      out: stringOption(args, "out") ?? "cdktf.out",
      print: booleanOption(args, "print"),
    });
  } catch (error) {
    if (error instanceof ConfigErrors) {
      console.error(error.message);
      return 1;
    }
    if (error instanceof ConnectError) {
      // One line: another program's text (terraform's) may carry colour codes and line breaks.
      console.error(`${paint(process.stderr).red("connect:")} ${plainText(error.message).replace(/\s*\n\s*/g, " ")}`);
      return 1;
    }
    throw error;
  }
}
