import type { NamedPolicy, PolicyDocument } from "./iam-policy";
import { AWS_MANAGED_POLICIES } from "./aws-managed-policies";
import type { ResourceRef, StackModel } from "./stack-model";

/** One kind of instance as EC2 will really launch it. */
export interface InstanceKind {
  readonly label: string;
  /** The Auto Scaling group or aws_instance that launches it. */
  readonly launcher: ResourceRef;
  readonly launchTemplate?: ResourceRef;
  readonly groups: string[];
  readonly subnets: ResourceRef[];
  /**
   * Tags the instance will carry. For an Auto Scaling group: the launch template's instance
   * tag_specifications and the group's tags with propagate_at_launch, never the provider's
   * default_tags (which AWS applies to the group, not to what it launches). For aws_instance:
   * its own tags plus the provider's default_tags.
   */
  readonly tags: Record<string, string>;
  readonly role?: ResourceRef;
  readonly publicIp: boolean;
  /** The decoded boot script, if any. */
  readonly userData?: string;
}

function launchTemplateFacts(model: StackModel, template: ResourceRef | undefined) {
  if (!template) return { groups: [] as string[], tags: {} as Record<string, string>, publicIp: false, profile: undefined as unknown, profileBy: "name" as "arn" | "name", userData: undefined as string | undefined, subnet: undefined as unknown };
  const c = template.config;
  const nics = (c.network_interfaces ?? []) as any[];
  const groups = [...(c.vpc_security_group_ids ?? []), ...nics.flatMap((n) => n.security_groups ?? [])].map((g) => model.referenced(g, ["id"])?.address ?? String(g));
  const tags: Record<string, string> = {};
  for (const spec of (c.tag_specifications ?? []) as any[]) if (spec.resource_type === "instance") Object.assign(tags, spec.tags ?? {});
  const publicIp = nics.some((n) => n.associate_public_ip_address === true || n.associate_public_ip_address === "true");
  const userData = typeof c.user_data === "string" && !c.user_data.includes("${") ? Buffer.from(c.user_data, "base64").toString("utf8") : undefined;
  return { groups, tags, publicIp, profile: c.iam_instance_profile?.arn ?? c.iam_instance_profile?.name, profileBy: (c.iam_instance_profile?.arn !== undefined ? "arn" : "name") as "arn" | "name", userData, subnet: nics.find((n) => n.subnet_id)?.subnet_id };
}

/** The role behind an instance profile given by ARN (`iam_instance_profile.arn`) or by name; a reference through the wrong attribute finds none. */
function roleOfProfile(model: StackModel, profileRef: unknown, by: "arn" | "name"): ResourceRef | undefined {
  const profile = model.referenced(profileRef, by === "arn" ? ["arn"] : ["name", "id"]) ?? model.all("aws_iam_instance_profile").find((p) => p.config.name === profileRef);
  // aws_iam_instance_profile.role takes the role's name.
  return profile ? model.referenced(profile.config.role, ["name", "id"]) ?? model.all("aws_iam_role").find((r) => r.config.name === profile.config.role) : undefined;
}

/** Every kind of instance the stack launches: one per Auto Scaling group and per aws_instance. */
export function instanceKinds(model: StackModel, providerDefaultTags: Record<string, string>): InstanceKind[] {
  const kinds: InstanceKind[] = [];
  for (const group of model.all("aws_autoscaling_group")) {
    const template = model.referenced(group.config.launch_template?.id);
    const facts = launchTemplateFacts(model, template);
    const tags = { ...facts.tags };
    for (const tag of (group.config.tag ?? []) as any[]) if (tag.propagate_at_launch === true || tag.propagate_at_launch === "true") tags[tag.key] = tag.value;
    kinds.push({
      label: tags.Name ?? group.config.name ?? group.address,
      launcher: group,
      launchTemplate: template,
      groups: facts.groups,
      subnets: ((group.config.vpc_zone_identifier ?? []) as unknown[]).map((s) => model.referenced(s, ["id"])).filter((s): s is ResourceRef => s !== undefined),
      tags,
      role: roleOfProfile(model, facts.profile, facts.profileBy),
      publicIp: facts.publicIp,
      userData: facts.userData,
    });
  }
  for (const instance of model.all("aws_instance")) {
    const c = instance.config;
    const template = model.referenced(c.launch_template?.id);
    const facts = launchTemplateFacts(model, template);
    const tags = { ...providerDefaultTags, ...facts.tags, ...(c.tags ?? {}) };
    const subnet = model.referenced(c.subnet_id ?? facts.subnet, ["id"]);
    const groups = c.vpc_security_group_ids ? (c.vpc_security_group_ids as unknown[]).map((g) => model.referenced(g, ["id"])?.address ?? String(g)) : facts.groups;
    kinds.push({
      label: tags.Name ?? instance.address,
      launcher: instance,
      launchTemplate: template,
      groups,
      subnets: subnet ? [subnet] : [],
      tags,
      role: c.iam_instance_profile !== undefined ? roleOfProfile(model, c.iam_instance_profile, "name") : roleOfProfile(model, facts.profile, facts.profileBy),
      publicIp: c.associate_public_ip_address === true || c.associate_public_ip_address === "true" || (c.associate_public_ip_address === undefined && facts.publicIp),
      userData: typeof c.user_data === "string" ? c.user_data : facts.userData,
    });
  }
  return kinds;
}

/** The identity policies a role holds: inline policies, attached customer-managed and AWS-managed ones. */
export function roleIdentityPolicies(model: StackModel, role: ResourceRef): { policies: NamedPolicy[]; unknown: string[] } {
  const policies: NamedPolicy[] = [];
  const unknown: string[] = [];
  const ofRole = (value: unknown) => model.pointsAt(value, role) || value === role.config.name;
  for (const inline of model.all("aws_iam_role_policy")) {
    if (!ofRole(inline.config.role)) continue;
    if (inline.config.count !== undefined && Number(inline.config.count) === 0) continue;
    const document = model.policyFrom(inline.config.policy);
    if (document) policies.push({ name: `"${inline.config.name ?? inline.name}" (inline)`, policy: document as PolicyDocument });
    else unknown.push(inline.address);
  }
  for (const attachment of model.all("aws_iam_role_policy_attachment")) {
    if (!ofRole(attachment.config.role)) continue;
    const arn = String(attachment.config.policy_arn);
    const managed = /^arn:[a-z-]+:iam::aws:policy\/(.+)$/.exec(arn)?.[1];
    if (managed) {
      const document = AWS_MANAGED_POLICIES[managed];
      if (document) policies.push({ name: `${managed} (AWS managed)`, policy: document });
      else unknown.push(`AWS managed policy ${managed} (its content is not in this verifier's data)`);
      continue;
    }
    const customer = model.referenced(arn);
    const document = customer ? model.policyFrom(customer.config.policy) : undefined;
    if (document) policies.push({ name: `${customer!.config.name ?? customer!.name}`, policy: document as PolicyDocument });
    else unknown.push(arn);
  }
  return { policies, unknown };
}

/** A resource policy by the resource it governs: bucket policies, key policies. */
export function bucketPolicy(model: StackModel, bucket: ResourceRef): NamedPolicy | undefined {
  const policy = model.all("aws_s3_bucket_policy").find((p) => model.pointsAt(p.config.bucket, bucket));
  const document = policy ? model.policyFrom(policy.config.policy) : undefined;
  // Named by its bucket (a prefix ends in *): the evaluation says "bucket policy of" before it.
  const bucketName = bucket.config.bucket ?? (bucket.config.bucket_prefix ? `${bucket.config.bucket_prefix}*` : bucket.name);
  return document ? { name: String(bucketName), policy: document as PolicyDocument } : undefined;
}

export function keyPolicy(model: StackModel, key: ResourceRef): NamedPolicy | undefined {
  const separate = model.all("aws_kms_key_policy").find((p) => model.pointsAt(p.config.key_id, key));
  const document = model.policyFrom(separate?.config.policy ?? key.config.policy);
  // Named by the key's alias when it has one (short, and what the console shows), else its description.
  const alias = model.all("aws_kms_alias").find((a) => model.pointsAt(a.config.target_key_id, key))?.config.name;
  return document ? { name: String(alias ?? key.config.description ?? key.name), policy: document as PolicyDocument } : undefined;
}
