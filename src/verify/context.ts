import type { EnvironmentConfig } from "../config/load";
import { evaluateIam, IamDecision, IamRequest } from "./iam";
import type { NamedPolicy } from "./iam-policy";
import { InstanceKind, instanceKinds, roleIdentityPolicies } from "./instances";
import { Hop, hop, unproven } from "./proof";
import type { ResourceRef, StackModel } from "./stack-model";

/** An operator: a person whose role holds one of the project's operator policies. */
export interface Operator {
  readonly principal: string;
  readonly userid: string;
  readonly policies: NamedPolicy[];
}

/** Everything the proofs of one environment read: its settings and its synthesized stacks. */
export class ProofContext {
  readonly kinds: InstanceKind[];

  constructor(
    readonly env: EnvironmentConfig,
    readonly aws: StackModel,
    readonly cloudflare: StackModel | undefined,
    /** Tags the AWS provider applies by default (they reach aws_instance, never ASG instances). */
    readonly providerDefaultTags: Record<string, string>,
  ) {
    this.kinds = instanceKinds(aws, providerDefaultTags);
  }

  get region(): string {
    return this.aws.region;
  }

  get account(): string {
    return this.aws.accountId;
  }

  /** The value of a stack output (resolved to stand-ins), when the stack declares it. */
  output(name: string): string | undefined {
    const value = (this.aws.json as any).output?.[name]?.value;
    return value === undefined ? undefined : this.aws.resolve(value);
  }

  /** The resource an output points at (`app_bucket` → the app bucket). */
  outputResource(name: string): ResourceRef | undefined {
    return this.aws.referenced((this.aws.json as any).output?.[name]?.value);
  }

  /** The app servers: the Auto Scaling group registered with a load balancer target group. */
  get appServers(): InstanceKind | undefined {
    return this.kinds.find((k) => k.launcher.type === "aws_autoscaling_group" && (k.launcher.config.target_group_arns ?? []).length > 0);
  }

  /** The bastion: a single instance with a public IP. */
  get bastion(): InstanceKind | undefined {
    return this.kinds.find((k) => k.launcher.type === "aws_instance" && k.publicIp);
  }

  /** The operator holding the customer-managed policy that allows `action`. */
  operatorWith(action: string): Operator | undefined {
    const policy = this.aws.all("aws_iam_policy").find((p) => {
      const doc = this.aws.policyFrom(p.config.policy);
      return doc?.Statement.some((s: any) => s.Effect === "Allow" && [s.Action].flat().includes(action));
    });
    if (!policy) return undefined;
    return {
      principal: `arn:${this.aws.partition}:iam::${this.account}:role/operator`,
      userid: "AROAOPERATOREXAMPLE:alice",
      policies: [{ name: `${policy.config.name}`, policy: this.aws.policyFrom(policy.config.policy) as never }],
    };
  }

  /** The identity policies of an instance kind's role (empty when it has no role). */
  rolePolicies(kind: InstanceKind): NamedPolicy[] {
    return kind.role ? roleIdentityPolicies(this.aws, kind.role).policies : [];
  }

  roleArn(kind: InstanceKind): string {
    return kind.role ? this.aws.attribute(kind.role.address, "arn") : `arn:${this.aws.partition}:iam::${this.account}:role/none`;
  }

  /** An ARN for one instance of a kind (instance ids are made at launch). */
  instanceArn(kind: InstanceKind): string {
    return `arn:${this.aws.partition}:ec2:${this.region}:${this.account}:instance/i-0${kind.label.length.toString(16).padStart(2, "0")}example`;
  }

  /** Runs one IAM request and turns it into a hop that must come out as `expect`. */
  async iamHop(name: string, request: IamRequest, expect: "Allowed" | "Denied" = "Allowed"): Promise<Hop> {
    let decision: IamDecision;
    try {
      decision = await evaluateIam(request);
    } catch (error) {
      return unproven(name, (error as Error).message);
    }
    const what = `${request.action} on ${request.resource}`;
    const reasons = decision.reasons.length ? `: ${decision.reasons.join("; ")}` : "";
    if (decision.ignoredContextKeys.length > 0 && decision.result === "Allowed") {
      return unproven(name, `${what} came out Allowed, but the simulator ignored ${decision.ignoredContextKeys.join(", ")}`);
    }
    const ok = expect === "Allowed" ? decision.result === "Allowed" : decision.result !== "Allowed";
    return hop(name, ok, `${what} → ${decision.result}${reasons}`);
  }
}
