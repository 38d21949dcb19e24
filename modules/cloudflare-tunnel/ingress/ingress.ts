/**
 * cloudflared's ingress rules, checked before Terraform runs the way cloudflared checks them
 * (its `ingress` package: service parsing with Go's url.Parse, hostname port/wildcard checks,
 * catch-all placement, RE2 path regexes, originRequest decoding), plus a few stricter rules of
 * this project. Every problem says whose rule it is: `source: "cloudflared"` problems would make
 * cloudflared refuse the configuration; `source: "project"` problems are this project's own
 * rules, and their messages start with "(project rule)". Pure, no cdktf.
 */
import { domainToASCII } from "node:url";
import { RE2JS } from "re2js";
import { Document } from "yaml";
import { GoError, goAtoi, goHostname, goParseURL, goPort, goSplitHostPort } from "./go-url";
import { OriginRequest, originRequestProblems } from "./origin-request";
import { PROJECT, ProblemSource, describe, isRecord } from "./wording";


export interface IngressRule {
  readonly hostname?: string;
  readonly path?: string;
  readonly service: string;
  readonly originRequest?: OriginRequest;
}

export interface IngressProblem {
  /** Index of the rule (`ingress[i]`). */
  readonly index: number;
  /** The field at fault, relative to the rule: "hostname", "path", "service", "originRequest.connectTimeout", "" (the list)... */
  readonly field: string;
  /** One line. cloudflared's rules name cloudflared; project rules start with "(project rule)". */
  readonly message: string;
  /** Whose rule it is: cloudflared would refuse it, or this project refuses it. */
  readonly source: ProblemSource;
}

/** The service as cloudflared will run it. */
export type ServiceDescription =
  /** http, https, ws, wss origins (scheme lowercased as Go does); no default port is added. */
  | { readonly kind: "http"; readonly scheme: string; readonly host: string; readonly port?: number; readonly tls: boolean }
  /** Any other URL scheme: TCP over WebSocket; ssh/rdp/smb/tcp get a default port (22/3389/445/7864). */
  | { readonly kind: "tcp"; readonly scheme: string; readonly host: string; readonly port?: number }
  | { readonly kind: "unix"; readonly path: string; readonly tls: boolean }
  | { readonly kind: "status"; readonly status: number }
  | { readonly kind: "hello-world" }
  | { readonly kind: "bastion" }
  | { readonly kind: "socks-proxy" }
  /** cloudflared refuses it; `message` says why (one line, names cloudflared). */
  | { readonly kind: "invalid"; readonly message: string };

const RULE_KEYS = ["hostname", "path", "service", "originRequest"];
/** Strings yaml.v3 decodes into a Go bool even when quoted. */
const DEFAULT_PORTS: Record<string, number> = { ssh: 22, rdp: 3389, smb: 445, tcp: 7864 };
const HTTP_SCHEMES = ["http", "https", "ws", "wss"];

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;


export function isCatchAll(rule: IngressRule): boolean {
  const hostname = rule.hostname ?? "";
  return (hostname === "" || hostname === "*") && (rule.path ?? "") === "";
}

/**
 * The ASCII (punycode) form of a hostname, as cloudflared adds it for matching (IDNA lookup,
 * lowercased), or undefined when it cannot be converted. `*.` wildcards are kept.
 */
export function hostnameAscii(hostname: string): string | undefined {
  const ascii = domainToASCII(hostname);
  return ascii === "" ? undefined : ascii;
}

// ---------------------------------------------------------------- services

/** The service as cloudflared will run it; `bastionMode` is the rule's merged originRequest.bastionMode. */
export function describeService(service: string, bastionMode = false): ServiceDescription {
  const quoted = JSON.stringify(service);
  if (service.startsWith("unix:")) return { kind: "unix", path: service.slice("unix:".length), tls: false };
  if (service.startsWith("unix+tls:")) return { kind: "unix", path: service.slice("unix+tls:".length), tls: true };
  if (service.startsWith("http_status:")) {
    let status: number;
    try {
      status = goAtoi(service.slice("http_status:".length));
    } catch (error) {
      return { kind: "invalid", message: `service ${quoted} has no valid status code: cloudflared refuses it (invalid HTTP status code: ${(error as Error).message})` };
    }
    if (status < 100 || status > 999) return { kind: "invalid", message: `service ${quoted} has status ${status}: cloudflared accepts status codes from 100 to 999` };
    return { kind: "status", status };
  }
  if (service === "hello_world" || service === "hello-world") return { kind: "hello-world" };
  if (service === "socks-proxy") return { kind: "socks-proxy" };
  if (service === "bastion" || bastionMode) return { kind: "bastion" };
  if (service === "") {
    return { kind: "invalid", message: "service is empty: cloudflared needs one (a URL, http_status:NNN, hello_world, bastion, socks-proxy or unix:PATH) unless bastionMode is on" };
  }
  let url;
  try {
    url = goParseURL(service);
  } catch (error) {
    return { kind: "invalid", message: `service ${quoted} is not a URL: cloudflared refuses it (${(error as Error).message})` };
  }
  const host = goHostname(url);
  if (url.scheme === "" || host === "") {
    return {
      kind: "invalid",
      message: `service ${quoted} has no ${url.scheme === "" ? "scheme" : "host name"}${url.opaque !== "" ? ` (Go's url.Parse reads ${JSON.stringify(url.scheme)} as its scheme)` : ""}: cloudflared needs a URL with a scheme and a host (e.g. http://localhost:8080), or http_status:NNN, hello_world, bastion, socks-proxy, unix:PATH`,
    };
  }
  if (url.path !== "") {
    return { kind: "invalid", message: `service ${quoted} has a path (${JSON.stringify(url.path)}): cloudflared refuses service URLs with any path (the request's own path is sent to the origin)` };
  }
  const portText = goPort(url);
  const port = portText === "" ? undefined : Number(portText);
  if (HTTP_SCHEMES.includes(url.scheme)) {
    return { kind: "http", scheme: url.scheme, host, ...(port === undefined ? {} : { port }), tls: url.scheme === "https" || url.scheme === "wss" };
  }
  const defaultPort = DEFAULT_PORTS[url.scheme];
  const tcpPort = port ?? defaultPort;
  return { kind: "tcp", scheme: url.scheme, host, ...(tcpPort === undefined ? {} : { port: tcpPort }) };
}

// ---------------------------------------------------------------- rules

function hostnameProblems(hostname: string): string[] {
  // cloudflared: net.SplitHostPort must fail, and "*" only at index 0.
  let port: string | undefined;
  try {
    port = goSplitHostPort(hostname)[1];
  } catch (error) {
    if (!(error instanceof GoError)) throw error;
  }
  if (port !== undefined) return [`hostname ${JSON.stringify(hostname)} carries a port (${JSON.stringify(`:${port}`)}): cloudflared refuses hostnames with a port`];
  if (hostname.lastIndexOf("*") > 0) {
    return [`hostname ${JSON.stringify(hostname)} has a "*" after its first character: cloudflared allows one wildcard, only at the start (e.g. "*.example.com")`];
  }
  return [];
}

function projectHostnameProblem(hostname: string, zoneName: string): string | undefined {
  const quoted = JSON.stringify(hostname);
  if (hostname.startsWith("*") && !hostname.startsWith("*.")) {
    return `${PROJECT} hostname ${quoted} uses "*" without a following dot: cloudflared accepts it but only ever compares it literally, so it never matches; write "*.${hostname.slice(1)}"`;
  }
  if (hostname !== hostname.toLowerCase()) return `${PROJECT} hostname ${quoted} must be lower case (cloudflared compares hostnames case-sensitively)`;
  const wildcard = hostname.startsWith("*.");
  const bare = wildcard ? hostname.slice(2) : hostname;
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(bare) ? bare : hostnameAscii(bare);
  if (ascii === undefined) return `${PROJECT} hostname ${quoted} is not a valid host name (it has no IDNA/punycode form)`;
  const shown = ascii === bare ? quoted : `${quoted} (punycode ${JSON.stringify((wildcard ? "*." : "") + ascii)})`;
  if (wildcard && ascii !== bare) {
    return `${PROJECT} hostname ${shown} is a wildcard with non-ASCII labels: cloudflared does not convert wildcard hostnames to punycode, so write the punycode form`;
  }
  const labels = ascii.split(".");
  if (ascii.length > 253 || !labels.every((label) => LABEL.test(label))) {
    return `${PROJECT} hostname ${shown} is not a valid host name (labels of 1-63 letters, digits or inner hyphens)`;
  }
  if (labels.length < 2) return `${PROJECT} hostname ${shown} must have at least two labels (e.g. app.${zoneName})`;
  const zone = zoneName.toLowerCase();
  if (!(ascii === zone || ascii.endsWith(`.${zone}`))) return `${PROJECT} hostname ${shown} is not in the zone ${zoneName}`;
  return undefined;
}

function regexProblem(path: string): string | undefined {
  try {
    RE2JS.compile(path);
    return undefined;
  } catch (error) {
    return `path ${JSON.stringify(path)} is not a valid RE2 (Go regexp) expression: cloudflared refuses it (${(error as Error).message.split("\n")[0]})`;
  }
}

/**
 * Every problem with a rule list, in rule order (unlike cloudflared, which stops at the first).
 * An empty result means cloudflared accepts the list and so does this project.
 * `globalOriginRequest` is the top-level originRequest block; it is only used here the way
 * cloudflared merges it into each rule (bastionMode). Check the block itself with
 * validateOriginRequest(global, "global").
 */
export function validateIngress(rules: readonly IngressRule[], zoneName: string, globalOriginRequest?: OriginRequest): IngressProblem[] {
  if (rules.length === 0) {
    return [{ index: 0, field: "", message: "the ingress list is empty: cloudflared needs at least the catch-all rule (e.g. service: http_status:404)", source: "cloudflared" }];
  }
  const problems: IngressProblem[] = [];
  const seen = new Map<string, number>();
  const globalBastion = isRecord(globalOriginRequest) && globalOriginRequest.bastionMode === true;
  rules.forEach((rule, index) => {
    const add = (field: string, message: string, source: ProblemSource) => problems.push({ index, field, message, source });
    if (!isRecord(rule)) {
      add("", `${PROJECT} the rule is ${describe(rule)}, not a mapping of hostname, path, service, originRequest`, "project");
      return;
    }
    for (const key of Object.keys(rule)) {
      if (!RULE_KEYS.includes(key)) add(key, `${PROJECT} unknown rule key ${JSON.stringify(key)} (cloudflared only warns and ignores it); known: ${RULE_KEYS.join(", ")}`, "project");
    }
    let typesOk = true;
    for (const key of ["hostname", "path", "service"] as const) {
      const value: unknown = rule[key];
      if (value !== undefined && value !== null && typeof value !== "string") {
        add(key, `${PROJECT} ${key} is ${describe(value)}: write it as a string`, "project");
        typesOk = false;
      }
    }
    if (!typesOk) return;
    const hostname = rule.hostname ?? "";
    const path = rule.path ?? "";
    const service = rule.service ?? "";
    const own: unknown = rule.originRequest;
    const ownBastion = isRecord(own) && typeof own.bastionMode === "boolean" ? own.bastionMode : undefined;
    const bastionMode = ownBastion ?? globalBastion;

    // 1. the service (cloudflared parses it first)
    const described = describeService(service, bastionMode);
    if (described.kind === "invalid") add("service", described.message, "cloudflared");

    // 2. the rule's originRequest (types are cloudflared's YAML decoding; access is cloudflared's check)
    for (const p of originRequestProblems(own, "rule", service === "socks-proxy")) add(p.field ? `originRequest.${p.field}` : "originRequest", p.message, p.source);

    // 3. hostname: port, wildcard, catch-all placement (cloudflared), then project rules
    const last = index === rules.length - 1;
    const catchAll = isCatchAll({ hostname, path, service });
    const hostIssues = hostnameProblems(hostname);
    for (const message of hostIssues) add("hostname", message, "cloudflared");
    if (last && !catchAll) {
      add(
        hostname !== "" && hostname !== "*" ? "hostname" : "path",
        `the last rule has ${path !== "" ? `path ${JSON.stringify(path)}` : `hostname ${JSON.stringify(hostname)}`}: cloudflared needs the last rule to match everything (no hostname or "*", no path), e.g. service: http_status:404`,
        "cloudflared",
      );
    }
    if (!last && catchAll) {
      add(
        "hostname",
        `rule ${index + 1} of ${rules.length} matches every request (hostname ${JSON.stringify(hostname)}, no path): cloudflared allows that only for the last rule, since the rules after it would never match`,
        "cloudflared",
      );
    }
    if (hostIssues.length === 0 && hostname !== "" && hostname !== "*") {
      const problem = projectHostnameProblem(hostname, zoneName);
      if (problem) add("hostname", problem, "project");
    }

    // 4. path: Go regexp (RE2) syntax
    if (path !== "") {
      const problem = regexProblem(path);
      if (problem) add("path", problem, "cloudflared");
    }

    // project: the same hostname/path twice
    if (!catchAll) {
      const host = hostname.startsWith("*.") ? `*.${hostnameAscii(hostname.slice(2)) ?? hostname.slice(2)}` : (hostnameAscii(hostname) ?? hostname);
      const key = `${hostname === "" ? "" : host}\u0000${path}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        add(
          hostname !== "" ? "hostname" : "path",
          `${PROJECT} hostname ${JSON.stringify(hostname)}${path ? ` with path ${JSON.stringify(path)}` : ""} repeats ingress[${earlier}]: cloudflared uses the first matching rule, so this one would never match`,
          "project",
        );
      } else {
        seen.set(key, index);
      }
    }
  });
  return problems;
}

// ---------------------------------------------------------------- config.yml

function compact(settings: OriginRequest | undefined): Record<string, unknown> | undefined {
  if (!settings) return undefined;
  const entries = Object.entries(settings).filter(([, value]) => value !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** The locally managed config.yml , rendered with the `yaml` package. */
export function renderConfigYaml(tunnelId: string, rules: readonly IngressRule[], globalOriginRequest?: OriginRequest): string {
  const global = compact(globalOriginRequest);
  const config: Record<string, unknown> = {
    tunnel: tunnelId,
    "credentials-file": `/etc/cloudflared/${tunnelId}.json`,
    ...(global ? { originRequest: global } : {}),
    ingress: rules.map((rule) => {
      const originRequest = compact(rule.originRequest);
      return {
        ...(rule.hostname ? { hostname: rule.hostname } : {}),
        ...(rule.path ? { path: rule.path } : {}),
        service: rule.service,
        ...(originRequest ? { originRequest } : {}),
      };
    }),
  };
  // YAML 1.1 quoting, so strings such as "yes" or "on" stay strings for cloudflared's yaml.v3.
  return new Document(config, { version: "1.1" }).toString({ lineWidth: 0 });
}
