import { Testing } from "cdktf";
import type { EnvironmentConfig } from "../../src/config/load";
import { AwsEnvironmentStack } from "../../src/stacks/aws-stack";

export interface Synthesized {
  readonly stack: AwsEnvironmentStack;
  /** `Testing.synth` output: the stack's Terraform JSON as a string (for the cdktf matchers). */
  readonly json: string;
  readonly tf: { resource: Record<string, Record<string, any>>; data?: Record<string, Record<string, any>>; terraform: any; provider: any; output?: any };
}

export function synthAws(env: EnvironmentConfig, offline = false): Synthesized {
  const app = Testing.app();
  const stack = new AwsEnvironmentStack(app, env, { offline, localStatePath: "terraform.{stack}.tfstate", projectRootFromStack: "." });
  const json = Testing.synth(stack);
  return { stack, json, tf: JSON.parse(json) };
}

/** Resources of one type, by their logical name. */
export function resourcesOf(tf: Synthesized["tf"], type: string): Record<string, any> {
  return tf.resource[type] ?? {};
}

/** The first resource of `type` whose logical name contains `fragment`. */
export function byName(tf: { resource: Record<string, Record<string, any>> }, type: string, fragment: string): any {
  return Object.entries(tf.resource[type] ?? {}).find(([name]) => name.includes(fragment))?.[1];
}
