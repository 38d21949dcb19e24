/**
 * cloudflared's ingress rules, checked the way cloudflared itself checks them (its `ingress`
 * package) before Terraform runs: pure, no cdktf.
 */
export interface IngressRule {
  readonly hostname?: string;
  readonly path?: string;
  readonly service: string;
}

export interface IngressProblem {
  /** Index of the rule (`ingress[i]`), and the field at fault. */
  readonly index: number;
  readonly field: "hostname" | "path" | "service" | "";
  readonly message: string;
}

/** Service schemes the Cloudflare provider 5.x accepts for remotely managed tunnels. */
export const SERVICE_SCHEMES = ["http", "https", "ssh", "rdp", "tcp", "unix", "unix+tls", "smb"];

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function isCatchAll(rule: IngressRule): boolean {
  return (rule.hostname === undefined || rule.hostname === "" || rule.hostname === "*") && (rule.path === undefined || rule.path === "");
}

export function hostnameProblem(hostname: string, zoneName: string): string | undefined {
  if (hostname.includes(":")) return `"${hostname}" must not carry a port`;
  if (hostname !== hostname.toLowerCase()) return `"${hostname}" must be lowercase`;
  const stars = hostname.split("*").length - 1;
  if (stars > 1) return `"${hostname}" may hold at most one wildcard`;
  if (stars === 1 && !hostname.startsWith("*.")) return `"${hostname}" may use a wildcard only as its leftmost label ("*.")`;
  const labels = (stars ? hostname.slice(2) : hostname).split(".");
  if (hostname.length > 253 || labels.length < 2 || !labels.every((label) => LABEL.test(label))) return `"${hostname}" is not a valid host name`;
  const bare = stars ? hostname.slice(2) : hostname;
  if (!(bare === zoneName || bare.endsWith(`.${zoneName}`))) return `"${hostname}" is not in the zone ${zoneName}`;
  return undefined;
}

export function serviceProblem(service: string): string | undefined {
  if (service === "hello_world") return undefined;
  const status = /^http_status:(\d+)$/.exec(service);
  if (status) {
    const code = Number(status[1]);
    return code >= 100 && code <= 999 ? undefined : `"${service}" must use a status code from 100 to 999`;
  }
  const scheme = /^([a-z][a-z0-9+]*):/.exec(service)?.[1];
  if (!scheme) return `"${service}" must be a URL with a scheme (${SERVICE_SCHEMES.join(", ")}), http_status:NNN or hello_world`;
  if (!SERVICE_SCHEMES.includes(scheme)) return `"${service}" uses scheme ${scheme}; supported: ${SERVICE_SCHEMES.join(", ")}`;
  if (scheme === "unix" || scheme === "unix+tls") {
    return /^unix(\+tls)?:\/.+/.test(service) ? undefined : `"${service}" must name a socket path, e.g. unix:/run/app.sock`;
  }
  let url: URL;
  try {
    url = new URL(service);
  } catch {
    return `"${service}" is not a valid URL`;
  }
  if (!url.hostname) return `"${service}" needs a host`;
  if (url.pathname !== "" && url.pathname !== "/") return `"${service}" must not have a path (cloudflared rejects service URLs with paths)`;
  if (url.search || url.hash) return `"${service}" must not have a query or fragment`;
  return undefined;
}

/** Every problem with a rule list, in order; an empty list means cloudflared would accept it. */
export function validateIngress(rules: readonly IngressRule[], zoneName: string): IngressProblem[] {
  const problems: IngressProblem[] = [];
  if (rules.length === 0) return [{ index: 0, field: "", message: "must hold at least the catch-all rule (e.g. service: http_status:404)" }];
  const seen = new Map<string, number>();
  rules.forEach((rule, index) => {
    const last = index === rules.length - 1;
    if (isCatchAll(rule) && !last) {
      problems.push({ index, field: "hostname", message: "is a catch-all (no hostname, no path) but is not the last rule; rules after it would never match" });
    }
    if (last && !isCatchAll(rule)) {
      problems.push({ index, field: rule.hostname ? "hostname" : "path", message: "the last rule must be the catch-all: no hostname (or \"*\") and no path, e.g. service: http_status:404" });
    }
    if (rule.hostname && rule.hostname !== "*") {
      const problem = hostnameProblem(rule.hostname, zoneName);
      if (problem) problems.push({ index, field: "hostname", message: problem });
    }
    if (rule.path !== undefined && rule.path !== "") {
      try {
        new RegExp(rule.path);
      } catch {
        problems.push({ index, field: "path", message: `"${rule.path}" is not a valid regular expression` });
      }
    }
    const serviceIssue = serviceProblem(rule.service);
    if (serviceIssue) problems.push({ index, field: "service", message: serviceIssue });
    const key = `${rule.hostname ?? ""}\u0000${rule.path ?? ""}`;
    const earlier = seen.get(key);
    if (earlier !== undefined && !isCatchAll(rule)) {
      problems.push({ index, field: "hostname", message: `repeats the hostname/path of ingress[${earlier}]; the second rule would never match` });
    }
    seen.set(key, index);
  });
  return problems;
}

/** The locally managed form (seed 000's config.yml). */
export function renderConfigYaml(tunnelId: string, rules: readonly IngressRule[]): string {
  const lines = [`tunnel: ${tunnelId}`, `credentials-file: /etc/cloudflared/${tunnelId}.json`, "ingress:"];
  for (const rule of rules) {
    const entries = [
      ...(rule.hostname ? [`hostname: ${rule.hostname}`] : []),
      ...(rule.path ? [`path: ${JSON.stringify(rule.path)}`] : []),
      `service: ${rule.service}`,
    ];
    lines.push(`  - ${entries[0]}`, ...entries.slice(1).map((entry) => `    ${entry}`));
  }
  return `${lines.join("\n")}\n`;
}
