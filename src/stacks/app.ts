import { App } from "cdktf";
import type { EnvironmentConfig } from "../config/load";
import { GuardrailReport } from "../policy/guardrails";
import { AwsEnvironmentStack, StackOptions } from "./aws-stack";
import type { CloudflareEnvironmentStack } from "./cloudflare-stack";
import type { StateBackendConfig } from "../../terraform-state-backend/config";
import type { StateBackendStack } from "../../terraform-state-backend/stack";

export interface BuiltApp {
  readonly app: App;
  readonly stacks: (AwsEnvironmentStack | CloudflareEnvironmentStack | StateBackendStack)[];
  /** One report per stack, filled in during synth. */
  readonly guardrails: GuardrailReport[];
}

/** Composition root: which stacks each environment gets. No file or environment-variable access here. */
export function buildApp(environments: readonly EnvironmentConfig[], outdir: string, options: StackOptions, stateBackend?: StateBackendConfig): BuiltApp {
  const app = new App({ outdir, stackTraces: false });
  // The Cloudflare provider's classes (3.7 MB) and the state-backend stack load only when used.
  const cloudflare = () => (require("./cloudflare-stack") as typeof import("./cloudflare-stack")).CloudflareEnvironmentStack;
  const stacks = environments.flatMap((env) => [
    new AwsEnvironmentStack(app, env, options),
    ...(env.cloudflareTunnel?.enabled ? [new (cloudflare())(app, env, options)] : []),
  ]);
  const stateBackendStack = () => (require("../../terraform-state-backend/stack") as typeof import("../../terraform-state-backend/stack")).StateBackendStack;
  const all = [...stacks, ...(stateBackend ? [new (stateBackendStack())(app, stateBackend, options)] : [])];
  return { app, stacks: all, guardrails: all.map((stack) => stack.guardrails) };
}
