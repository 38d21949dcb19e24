import { parse as parseYaml } from "yaml";
import { recordedFacts } from "../../modules/common/markers";
import { describeService } from "../../modules/cloudflare-tunnel/ingress/ingress";
import { Annotation, StackJson, SynthesizedStack, constructPath, referencedResource, resources } from "../synthesized/terraform-json";

/** One way something can reach something else, as Terraform will build it. */
export interface AccessPath {
  readonly stack: string;
  readonly source: string;
  readonly destination: string;
  /** "443", "22", "5432", "all (SG-limited)", "shell" ... */
  readonly port: string;
  /** What makes the path exist: a security group rule, an IAM policy, a tunnel ingress rule ... */
  readonly via: string;
  readonly fromInternet: boolean;
  /** "ok", "public entry", "VIOLATION PA-NET-001", or "suppressed PA-NET-001: <reason>". */
  readonly verdict: string;
  /** The proof verdict of the declared path the row belongs to (`npm run verify`), when verified. */
  readonly proof?: string;
}

const WORLD = ["0.0.0.0/0", "::/0"];

function groupNames(json: StackJson): Map<string, string> {
  const names = new Map<string, string>();
  for (const [logical, group] of resources(json, "aws_security_group")) names.set(`aws_security_group.${logical}`, group.name ?? logical);
  return names;
}

function portText(from: unknown, to: unknown): string {
  if (from === undefined || from === null) return "all";
  return from === to ? String(from) : `${from}-${to}`;
}

function suppressionFor(annotations: readonly Annotation[], path: string | undefined): string | undefined {
  const hit = annotations.find((a) => a.constructPath === path && /\[PA-NET-001\] suppressed:/.test(a.message));
  return hit ? /\(reason: (.*)\)$/.exec(hit.message)?.[1] ?? "suppressed" : undefined;
}

function securityGroupPaths(stack: SynthesizedStack): AccessPath[] {
  const names = groupNames(stack.json);
  const name = (ref: unknown) => names.get(referencedResource(ref) ?? "") ?? String(ref);
  return resources(stack.json, "aws_vpc_security_group_ingress_rule").map(([, rule]) => {
    const cidr = rule.cidr_ipv4 ?? rule.cidr_ipv6;
    const fromInternet = WORLD.includes(cidr);
    const source = rule.referenced_security_group_id
      ? `sg ${name(rule.referenced_security_group_id)}`
      : rule.prefix_list_id
        ? `prefix list ${rule.prefix_list_id}`
        : fromInternet
          ? "internet"
          : `cidr ${cidr}`;
    const port = portText(rule.from_port, rule.to_port);
    let verdict = "ok";
    if (fromInternet) {
      // The module that opened it recorded why; nothing is inferred from names.
      const entry = recordedFacts(rule).publicEntry?.rules.includes("PA-NET-001") === true;
      const reason = suppressionFor(stack.annotations, constructPath(rule));
      verdict = entry ? "public entry" : reason ? `suppressed PA-NET-001: ${reason}` : "VIOLATION PA-NET-001";
    }
    return { stack: stack.name, source, destination: `sg ${name(rule.security_group_id)}`, port, via: `security group rule: ${rule.description ?? "(no description)"}`, fromInternet, verdict };
  });
}

function vpnPaths(stack: SynthesizedStack): AccessPath[] {
  const endpoints = resources(stack.json, "aws_ec2_client_vpn_endpoint");
  const client = endpoints[0]?.[1].client_cidr_block ?? "?";
  return resources(stack.json, "aws_ec2_client_vpn_authorization_rule").map(([, rule]) => ({
    stack: stack.name,
    source: `VPN clients ${client} (mutual TLS)`,
    destination: `cidr ${rule.target_network_cidr}`,
    port: "all (limited by security groups)",
    via: "Client VPN authorization rule",
    fromInternet: false,
    verdict: "ok",
  }));
}

function policyPaths(stack: SynthesizedStack): AccessPath[] {
  const paths: AccessPath[] = [];
  for (const [, document] of Object.entries(stack.json.data?.aws_iam_policy_document ?? {})) {
    for (const statement of document.statement ?? []) {
      const actions: string[] = statement.actions ?? [];
      const condition = (variable: string) => (statement.condition ?? []).find((c: any) => c.variable === variable)?.values ?? [];
      if (actions.includes("ec2-instance-connect:OpenTunnel")) {
        for (const cidr of condition("ec2-instance-connect:privateIpAddress")) {
          paths.push({
            stack: stack.name,
            source: "operators with the EIC policy (IAM)",
            destination: `cidr ${cidr} via EC2 Instance Connect Endpoint`,
            port: condition("ec2-instance-connect:remotePort").join(", "),
            via: `IAM OpenTunnel, max ${condition("ec2-instance-connect:maxTunnelDuration").join("")} s`,
            fromInternet: false,
            verdict: "ok",
          });
        }
      }
      if (actions.includes("ssm:StartSession") && (statement.resources ?? []).some((r: string) => r.includes(":instance/"))) {
        const tag = condition("ssm:resourceTag/Environment").join(", ");
        paths.push({ stack: stack.name, source: "operators with the Session Manager policy (IAM)", destination: `instances tagged Environment=${tag}`, port: "shell (no port)", via: "IAM ssm:StartSession", fromInternet: false, verdict: "ok" });
      }
    }
  }
  return paths;
}

function edgePaths(stack: SynthesizedStack): AccessPath[] {
  const paths: AccessPath[] = [];
  for (const [, distribution] of resources(stack.json, "aws_cloudfront_distribution")) {
    paths.push({ stack: stack.name, source: "internet", destination: `CloudFront ${(distribution.aliases ?? []).join(", ")}`, port: "443", via: "CloudFront behind WAF (office allow-list)", fromInternet: true, verdict: "public entry" });
    for (const origin of distribution.origin ?? []) {
      const domain = referencedResource(`${origin.domain_name}`.replace(/\.bucket_regional_domain_name\}$/, ".id}")) ? "S3 bucket" : origin.domain_name;
      paths.push({ stack: stack.name, source: "CloudFront", destination: `origin ${origin.origin_id} (${domain})`, port: origin.custom_origin_config ? "443" : "S3 (OAC)", via: "CloudFront origin", fromInternet: false, verdict: "ok" });
    }
  }
  const templates = new Map(resources(stack.json, "aws_launch_template").map(([name, template]) => [`aws_launch_template.${name}`, template]));
  for (const [, instance] of resources(stack.json, "aws_instance")) {
    // A public IP set on the instance, or on the network interface of the launch template it starts from.
    const template = templates.get(referencedResource(instance.launch_template?.id) ?? "");
    const fromTemplate = (template?.network_interfaces ?? []).some((nic: any) => nic.associate_public_ip_address === true || nic.associate_public_ip_address === "true");
    if (instance.associate_public_ip_address || (instance.associate_public_ip_address === undefined && fromTemplate)) {
      paths.push({ stack: stack.name, source: "internet", destination: `instance ${instance.tags?.Name ?? "?"} (public IP)`, port: "per its security group", via: "public IP", fromInternet: true, verdict: "public entry (bastion)" });
    }
  }
  return paths;
}

/** The tunnel's ingress: the remote configuration resource, or (local mode) the rendered config.yml output. */
function tunnelIngress(stack: SynthesizedStack): { rules: any[]; mode: "remote" | "local" } | undefined {
  const [config] = resources(stack.json, "cloudflare_zero_trust_tunnel_cloudflared_config");
  if (config) return { rules: config[1].config?.ingress ?? [], mode: "remote" };
  const yml = (stack.json as any).output?.cloudflared_config_yml?.value;
  if (typeof yml !== "string") return undefined;
  try {
    return { rules: (parseYaml(yml) as { ingress?: any[] }).ingress ?? [], mode: "local" };
  } catch {
    return undefined;
  }
}

/** What a service means as a destination: its port, or what cloudflared answers itself. */
function servicePort(service: string): string {
  const described = describeService(service);
  switch (described.kind) {
    case "status":
      return `none (cloudflared answers HTTP ${described.status})`;
    case "http":
    case "tcp":
      return described.port !== undefined ? String(described.port) : `${described.scheme} default`;
    case "unix":
      return `unix socket ${described.path}`;
    default:
      return described.kind;
  }
}

function tunnelPaths(stack: SynthesizedStack): AccessPath[] {
  const ingress = tunnelIngress(stack);
  if (!ingress) return [];
  const where = ingress.mode === "remote" ? "cloudflared on the app servers" : "cloudflared where you run it (local mode)";
  return ingress.rules.map((rule: any) => ({
    stack: stack.name,
    source: rule.hostname ? `internet via Cloudflare Access (${rule.hostname})` : "Cloudflare (unmatched requests)",
    destination: `${where} → ${rule.service}`,
    port: servicePort(rule.service),
    via: `Cloudflare Tunnel ingress, ${ingress.mode} configuration (outbound-only connection)`,
    fromInternet: Boolean(rule.hostname),
    verdict: "ok (Cloudflare Access in front)",
  }));
}

/** Every path source → destination:port found in the synthesized stacks, with its guardrail verdict. */
export function accessMatrix(stacks: readonly SynthesizedStack[]): AccessPath[] {
  return stacks.flatMap((stack) => [...edgePaths(stack), ...securityGroupPaths(stack), ...vpnPaths(stack), ...policyPaths(stack), ...tunnelPaths(stack)]);
}

export function accessMatrixMarkdown(environment: string, paths: readonly AccessPath[]): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  const rows = paths.map((p) => `| ${[p.stack, p.source, p.destination, p.port, p.via, p.verdict, p.proof ?? "not verified"].map(escape).join(" | ")} |`);
  const flagged = paths.filter((p) => p.verdict.startsWith("VIOLATION") || p.verdict.startsWith("suppressed"));
  return [
    `# Access matrix: ${environment}`,
    "",
    "Derived from the synthesized Terraform JSON (what Terraform will build), not from the environment file.",
    "The proof column is `npm run verify`'s verdict for the declared path a row carries (\"no declared path uses it\": worth a look).",
    "",
    `Paths: ${paths.length}; from the internet: ${paths.filter((p) => p.fromInternet).length}; flagged: ${flagged.length}.`,
    "",
    "| stack | source | destination | port | via | guardrails | proof |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
