import { createHash } from "node:crypto";
import { type StackJson, referencedAttribute, referencedResource } from "../synthesized/terraform-json";

/** A resource or data source of a synthesized stack, addressed as Terraform addresses it. */
export interface ResourceRef {
  /** `aws_security_group.web-tier_app-sg_group_ABC` or `data.aws_iam_policy_document.x`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, any>;
  /** The construct path cdktf recorded (for messages). */
  readonly path: string;
}

const REFERENCE = /\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)((?:\.[a-z0-9_]+)*)\}/g;

/**
 * The synthesized Terraform JSON of one stack, with references resolved to stand-in values that
 * look like what AWS will return (ARNs of the right shape, ids with the right prefix), so IAM
 * conditions and ARN patterns can be evaluated before anything exists. A stand-in is stable
 * (derived from the address) and unique per resource.
 */
export class StackModel {
  private readonly byAddress = new Map<string, ResourceRef>();

  constructor(
    readonly name: string,
    readonly json: StackJson,
    readonly region: string,
    readonly accountId: string,
  ) {
    for (const [kind, types] of [["resource", json.resource], ["data", json.data]] as const) {
      for (const [type, byName] of Object.entries(types ?? {})) {
        for (const [name, config] of Object.entries(byName)) {
          const address = kind === "data" ? `data.${type}.${name}` : `${type}.${name}`;
          this.byAddress.set(address, { address, type, name, config, path: config["//"]?.metadata?.path ?? address });
        }
      }
    }
  }

  get partition(): string {
    return this.region.startsWith("cn-") ? "aws-cn" : this.region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }

  all(type: string): ResourceRef[] {
    return [...this.byAddress.values()].filter((r) => r.type === type && !r.address.startsWith("data."));
  }

  data(type: string): ResourceRef[] {
    return [...this.byAddress.values()].filter((r) => r.type === type && r.address.startsWith("data."));
  }

  get(address: string): ResourceRef | undefined {
    return this.byAddress.get(address);
  }

  /**
   * The resource a `${type.name.attr}` string points at. With `attributes`, only through one of
   * them: an argument that needs an ARN is not satisfied by a reference to the resource's name.
   */
  referenced(value: unknown, attributes?: readonly string[]): ResourceRef | undefined {
    const address = referencedResource(value);
    if (!address) return undefined;
    if (attributes && !attributes.includes(referencedAttribute(value)!)) return undefined;
    return this.byAddress.get(address);
  }

  /** Does `value` point at `resource` (through one of `attributes`, or any when none are named)? */
  pointsAt(value: unknown, resource: ResourceRef, attributes?: readonly string[]): boolean {
    return this.referenced(value, attributes)?.address === resource.address;
  }

  /** Replaces every reference in a string (or deeply in a value) by its stand-in. */
  resolve(value: unknown): any {
    if (typeof value === "string") return value.replace(REFERENCE, (_all, address: string, attr: string) => this.attribute(address, attr));
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "//").map(([k, v]) => [k, this.resolve(v)]));
    return value;
  }

  /** The stand-in for one attribute of one resource. */
  attribute(address: string, attr: string): string {
    const resource = this.byAddress.get(address);
    if (!resource) return `\${${address}.${attr}}`;
    const { type, config } = resource;
    const p = this.partition;
    const region = this.region;
    const account = this.accountId;
    const short = hash(address);
    switch (`${type}.${attr}`) {
      case "aws_iam_policy_document.json":
        return JSON.stringify(this.policyDocument(resource));
      case "aws_s3_bucket.bucket":
      case "aws_s3_bucket.id":
        return this.bucketName(resource);
      case "aws_s3_bucket.arn":
        return `arn:${p}:s3:::${this.bucketName(resource)}`;
      case "aws_s3_bucket.bucket_regional_domain_name":
        return `${this.bucketName(resource)}.s3.${region}.amazonaws.com`;
      case "aws_kms_key.arn":
        return `arn:${p}:kms:${region}:${account}:key/${uuidFrom(address)}`;
      case "aws_kms_key.key_id":
      case "aws_kms_key.id":
        return uuidFrom(address);
      case "aws_iam_role.arn":
        return `arn:${p}:iam::${account}:role/${config.name ?? short}`;
      case "aws_iam_role.name":
      case "aws_iam_role.id":
        return config.name ?? short;
      case "aws_iam_policy.arn":
        return `arn:${p}:iam::${account}:policy/${config.name ?? short}`;
      case "aws_iam_instance_profile.arn":
        return `arn:${p}:iam::${account}:instance-profile/${config.name ?? short}`;
      case "aws_iam_instance_profile.name":
        return config.name ?? short;
      case "aws_cloudwatch_log_group.arn":
        return `arn:${p}:logs:${region}:${account}:log-group:${this.resolve(config.name)}`;
      case "aws_cloudwatch_log_group.name":
        return this.resolve(config.name);
      case "aws_security_group.id":
        return `sg-${short}`;
      case "aws_subnet.id":
        return `subnet-${short}`;
      case "aws_vpc.id":
        return `vpc-${short}`;
      case "aws_vpc_endpoint.id":
        return `vpce-${short}`;
      case "aws_ec2_instance_connect_endpoint.id":
        return `eice-${short}`;
      case "aws_ec2_instance_connect_endpoint.arn":
        return `arn:${p}:ec2:${region}:${account}:instance-connect-endpoint/eice-${short}`;
      case "aws_cloudfront_distribution.arn":
        return `arn:${p}:cloudfront::${account}:distribution/E${short.toUpperCase()}`;
      case "aws_cloudfront_distribution.id":
        return `E${short.toUpperCase()}`;
      case "aws_lb.arn":
      case "aws_lb.id":
        return `arn:${p}:elasticloadbalancing:${region}:${account}:loadbalancer/app/${config.name ?? short}/${short}`;
      case "aws_lb_target_group.arn":
        return `arn:${p}:elasticloadbalancing:${region}:${account}:targetgroup/${config.name ?? short}/${short}`;
      case "aws_elasticache_replication_group.arn":
        return `arn:${p}:elasticache:${region}:${account}:replicationgroup:${config.replication_group_id ?? short}`;
      case "aws_elasticache_user.arn":
        return `arn:${p}:elasticache:${region}:${account}:user:${config.user_id ?? short}`;
      case "aws_ssm_parameter.arn":
        return `arn:${p}:ssm:${region}:${account}:parameter${config.name}`;
      case "aws_db_instance.arn":
        return `arn:${p}:rds:${region}:${account}:db:${config.identifier ?? short}`;
      case "aws_db_instance.resource_id":
        // DbiResourceId: "db-" and 26 upper-case letters and digits, region-unique and immutable.
        return `db-${createHash("sha256").update(address).digest("hex").slice(0, 26).toUpperCase()}`;
      default:
        if (attr === "arn") return `arn:${p}:${type.replace(/^aws_/, "").split("_")[0]}:${region}:${account}:${type}/${short}`;
        if (attr === "name" && typeof config.name === "string") return this.resolve(config.name);
        return `${type.replace(/^aws_/, "")}-${short}`;
    }
  }

  private bucketName(resource: ResourceRef): string {
    const { config } = resource;
    return config.bucket ?? `${config.bucket_prefix ?? "bucket-"}${hash(resource.address)}`;
  }

  /**
   * An aws_iam_policy_document as IAM JSON: how the data source renders it (statement keys
   * capitalized, `&{var}` turned into the policy variable `${var}`), with references resolved.
   */
  policyDocument(resource: ResourceRef): { Version: string; Statement: any[] } {
    const list = (value: unknown) => (value === undefined ? undefined : (this.resolve(value) as string[]).map((v) => v.replace(/&\{/g, "${")));
    const statements = (resource.config.statement ?? []) as any[];
    return {
      Version: "2012-10-17",
      Statement: statements.map((s) => {
        const out: Record<string, unknown> = { Effect: s.effect ?? "Allow" };
        if (s.sid) out.Sid = s.sid;
        if (s.actions) out.Action = list(s.actions);
        if (s.not_actions) out.NotAction = list(s.not_actions);
        if (s.resources) out.Resource = list(s.resources);
        if (s.not_resources) out.NotResource = list(s.not_resources);
        if (s.principals) {
          const principal: Record<string, string[]> = {};
          for (const p of s.principals) principal[p.type === "*" ? "AWS" : p.type] = [...(principal[p.type] ?? []), ...list(p.identifiers)!];
          out.Principal = s.principals.some((p: any) => p.type === "*") ? "*" : principal;
        }
        if (s.condition) {
          const condition: Record<string, Record<string, string[]>> = {};
          for (const c of s.condition) {
            condition[c.test] = { ...(condition[c.test] ?? {}), [c.variable]: list(c.values)! };
          }
          out.Condition = condition;
        }
        return out;
      }),
    };
  }

  /**
   * A JSON document held in an argument: plain JSON text (with `${…}` references inside strings),
   * or cdktf's rendering of `Fn.jsonencode({...})` (HCL object syntax with bare references), which
   * older outputs and other tools produce. References come back resolved to stand-ins.
   */
  jsonArgument(value: unknown): any {
    if (typeof value !== "string") return value;
    const encoded = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(value.trim())?.[1];
    const text = encoded
      ? encoded
          .replace(/"((?:[^"\\]|\\.)*)" = /g, '"$1": ')
          .replace(/(?<=[:\[,]\s*)((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+\.[a-z0-9_]+)(?=\s*[,}\]])/g, '"\${$1}"')
      : value;
    return JSON.parse(this.resolve(text));
  }

  /** The policy JSON behind a `policy` argument (a policy document reference, or literal JSON). */
  policyFrom(value: unknown): { Version: string; Statement: any[] } | undefined {
    const ref = this.referenced(value);
    if (ref?.type === "aws_iam_policy_document") return this.policyDocument(ref);
    if (typeof value === "string" && value.trim().startsWith("{")) {
      try {
        return JSON.parse(this.resolve(value));
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}

export function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

function uuidFrom(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
