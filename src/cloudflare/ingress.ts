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
import { GoError, goAtoi, goHostname, goParseCIDR, goParseDuration, goParseURL, goPort, goSplitHostPort } from "./go-url";

/** A Go duration string (`time.ParseDuration`): "30s", "1m30s", "1.5h", "0". */
export type GoDuration = string;

/** `originRequest.access` (cloudflared `config.AccessConfig`). */
export interface OriginRequestAccess {
  readonly required?: boolean;
  readonly teamName?: string;
  readonly audTag?: readonly string[];
  readonly environment?: string;
}

/** One `originRequest.ipRules` entry (cloudflared `config.IngressIPRule`). */
export interface OriginRequestIpRule {
  readonly prefix?: string;
  readonly ports?: readonly number[];
  readonly allow?: boolean;
}

/** cloudflared's `originRequest` block, keys exactly as in its YAML (per rule or top level). */
export interface OriginRequest {
  readonly connectTimeout?: GoDuration;
  readonly tlsTimeout?: GoDuration;
  readonly tcpKeepAlive?: GoDuration;
  readonly noHappyEyeballs?: boolean;
  readonly keepAliveConnections?: number;
  readonly keepAliveTimeout?: GoDuration;
  readonly httpHostHeader?: string;
  readonly originServerName?: string;
  readonly matchSNItoHost?: boolean;
  readonly caPool?: string;
  readonly noTLSVerify?: boolean;
  readonly disableChunkedEncoding?: boolean;
  readonly bastionMode?: boolean;
  readonly proxyAddress?: string;
  readonly proxyPort?: number;
  readonly proxyType?: string;
  readonly ipRules?: readonly OriginRequestIpRule[];
  readonly http2Origin?: boolean;
  readonly access?: OriginRequestAccess;
}

export interface IngressRule {
  readonly hostname?: string;
  readonly path?: string;
  readonly service: string;
  readonly originRequest?: OriginRequest;
}

export type ProblemSource = "cloudflared" | "project";

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

export interface SettingProblem {
  readonly field: string;
  readonly message: string;
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

const PROJECT = "(project rule)";

const DURATION_KEYS = ["connectTimeout", "tlsTimeout", "tcpKeepAlive", "keepAliveTimeout"] as const;
const BOOLEAN_KEYS = ["noHappyEyeballs", "matchSNItoHost", "noTLSVerify", "disableChunkedEncoding", "bastionMode", "http2Origin"] as const;
const STRING_KEYS = ["httpHostHeader", "originServerName", "caPool", "proxyAddress", "proxyType"] as const;
const INT_KEYS = ["keepAliveConnections", "proxyPort"] as const;
const ORIGIN_REQUEST_KEYS: readonly string[] = [...DURATION_KEYS, ...BOOLEAN_KEYS, ...STRING_KEYS, ...INT_KEYS, "ipRules", "access"];
const ACCESS_KEYS = ["required", "teamName", "audTag", "environment"];
const IP_RULE_KEYS = ["prefix", "ports", "allow"];
const RULE_KEYS = ["hostname", "path", "service", "originRequest"];
/** Strings yaml.v3 decodes into a Go bool even when quoted. */
const YAML_BOOL_STRINGS = ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"];

const DEFAULT_PORTS: Record<string, number> = { ssh: 22, rdp: 3389, smb: 445, tcp: 7864 };
const HTTP_SCHEMES = ["http", "https", "ws", "wss"];

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const describe = (value: unknown) => (typeof value === "string" ? `the string ${JSON.stringify(value)}` : Array.isArray(value) ? "a list" : value === null ? "null" : `${typeof value} ${JSON.stringify(value)}`);

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

// ---------------------------------------------------------------- originRequest

function checkIpRules(value: unknown, strict: boolean, problems: SettingProblem[]): void {
  const field = "ipRules";
  if (!Array.isArray(value)) {
    problems.push({ field, message: `ipRules is ${describe(value)}: cloudflared's YAML decoding needs a list of {prefix, ports, allow}`, source: "cloudflared" });
    return;
  }
  // Outside a socks-proxy rule cloudflared drops an invalid entry silently; this project refuses it.
  const bad = (entry: string, message: string) =>
    problems.push(
      strict
        ? { field: entry, message: `${message}: cloudflared refuses it for a socks-proxy rule`, source: "cloudflared" }
        : { field: entry, message: `${PROJECT} ${message}: cloudflared would silently drop this entry`, source: "project" },
    );
  value.forEach((rule: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isRecord(rule)) {
      problems.push({ field: at, message: `${at} is ${describe(rule)}: cloudflared's YAML decoding needs {prefix, ports, allow}`, source: "cloudflared" });
      return;
    }
    for (const key of Object.keys(rule)) {
      if (!IP_RULE_KEYS.includes(key)) {
        problems.push({ field: `${at}.${key}`, message: `${PROJECT} ${at} has an unknown key ${JSON.stringify(key)} (cloudflared only warns and ignores it); known: ${IP_RULE_KEYS.join(", ")}`, source: "project" });
      }
    }
    const prefix = rule.prefix;
    if (prefix !== undefined && prefix !== null && typeof prefix !== "string") {
      problems.push({ field: `${at}.prefix`, message: `${at}.prefix is ${describe(prefix)}: cloudflared's YAML decoding needs a CIDR string`, source: "cloudflared" });
    } else if (prefix === undefined || prefix === null || prefix === "") {
      bad(`${at}.prefix`, `${at} has no prefix (no prefix provided)`);
    } else {
      try {
        goParseCIDR(prefix);
      } catch {
        bad(`${at}.prefix`, `${at}.prefix ${JSON.stringify(prefix)} is not a CIDR such as 10.0.0.0/8 (unable to parse cidr: ${prefix})`);
      }
    }
    if (rule.ports !== undefined && rule.ports !== null) {
      if (!Array.isArray(rule.ports)) {
        problems.push({ field: `${at}.ports`, message: `${at}.ports is ${describe(rule.ports)}: cloudflared's YAML decoding needs a list of port numbers`, source: "cloudflared" });
      } else {
        rule.ports.forEach((port: unknown, j) => {
          const pf = `${at}.ports[${j}]`;
          if (typeof port !== "number" || !Number.isFinite(port)) {
            problems.push({ field: pf, message: `${pf} is ${describe(port)}: cloudflared's YAML decoding needs a whole number`, source: "cloudflared" });
          } else if (!Number.isInteger(port)) {
            problems.push({ field: pf, message: `${PROJECT} ${pf} is ${port}: it must be a whole number (cloudflared would truncate it)`, source: "project" });
          } else if (port < 1 || port > 65535) {
            bad(pf, `${pf} is ${port} (invalid port ${port}, needs to be between 1 and 65535)`);
          }
        });
      }
    }
    if (rule.allow !== undefined && rule.allow !== null && typeof rule.allow !== "boolean") {
      problems.push({ field: `${at}.allow`, message: `${at}.allow is ${describe(rule.allow)}: cloudflared's YAML decoding needs true or false`, source: "cloudflared" });
    }
  });
}

function checkAccess(value: unknown, where: "rule" | "global", problems: SettingProblem[]): void {
  if (!isRecord(value)) {
    problems.push({ field: "access", message: `access is ${describe(value)}: cloudflared's YAML decoding needs {required, teamName, audTag, environment}`, source: "cloudflared" });
    return;
  }
  for (const key of Object.keys(value)) {
    if (!ACCESS_KEYS.includes(key)) {
      problems.push({ field: `access.${key}`, message: `${PROJECT} access has an unknown key ${JSON.stringify(key)} (cloudflared only warns and ignores it); known: ${ACCESS_KEYS.join(", ")}`, source: "project" });
    }
  }
  const { required, teamName, audTag, environment } = value;
  if (required !== undefined && required !== null && typeof required !== "boolean") {
    problems.push({ field: "access.required", message: `access.required is ${describe(required)}: cloudflared's YAML decoding needs true or false`, source: "cloudflared" });
  }
  for (const [key, v] of [["teamName", teamName], ["environment", environment]] as const) {
    if (v !== undefined && v !== null && typeof v !== "string") {
      problems.push(
        isRecord(v) || Array.isArray(v)
          ? { field: `access.${key}`, message: `access.${key} is ${describe(v)}: cloudflared's YAML decoding needs a string`, source: "cloudflared" }
          : { field: `access.${key}`, message: `${PROJECT} access.${key} is ${describe(v)}: write it as a string`, source: "project" },
      );
    }
  }
  if (typeof environment === "string" && environment !== "" && environment !== "fed") {
    problems.push({ field: "access.environment", message: `${PROJECT} access.environment is ${JSON.stringify(environment)}: cloudflared only knows "fed" (FedRAMP) or nothing`, source: "project" });
  }
  let tags = 0;
  if (audTag !== undefined && audTag !== null) {
    if (!Array.isArray(audTag)) {
      problems.push({ field: "access.audTag", message: `access.audTag is ${describe(audTag)}: cloudflared's YAML decoding needs a list of strings`, source: "cloudflared" });
    } else {
      tags = audTag.length;
      audTag.forEach((tag: unknown, i) => {
        if (typeof tag !== "string" || tag === "") {
          problems.push({ field: `access.audTag[${i}]`, message: `${PROJECT} access.audTag[${i}] is ${describe(tag)}: it must be a non-empty Access application AUD tag`, source: "project" });
        }
      });
    }
  }
  if (where === "rule" && required === true && tags > 0 && (teamName === undefined || teamName === null || teamName === "")) {
    problems.push({ field: "access.teamName", message: "access.required with audTag but no teamName: cloudflared refuses it (access.TeamName cannot be blank when access.audTags are present)", source: "cloudflared" });
  }
  if (where === "global") {
    problems.push({ field: "access", message: `${PROJECT} a top-level originRequest.access is neither checked nor enforced by cloudflared; set access on each rule`, source: "project" });
  }
}

function originRequestProblems(settings: unknown, where: "rule" | "global", strictIpRules: boolean): SettingProblem[] {
  const problems: SettingProblem[] = [];
  if (settings === undefined || settings === null) return problems;
  if (!isRecord(settings)) {
    return [{ field: "", message: `originRequest is ${describe(settings)}: cloudflared's YAML decoding needs a mapping of settings`, source: "cloudflared" }];
  }
  for (const [key, value] of Object.entries(settings)) {
    if (!ORIGIN_REQUEST_KEYS.includes(key)) {
      const near = ORIGIN_REQUEST_KEYS.find((known) => known.toLowerCase() === key.toLowerCase());
      problems.push({
        field: key,
        message: `${PROJECT} unknown originRequest key ${JSON.stringify(key)}${near ? ` (did you mean ${near}?)` : ""}: cloudflared only warns about unknown keys and ignores them`,
        source: "project",
      });
      continue;
    }
    if (value === undefined || value === null) continue; // unset, as YAML null is for cloudflared
    if ((DURATION_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== "string") {
        problems.push({ field: key, message: `${key} is ${describe(value)}: cloudflared's YAML decoding refuses anything but a Go duration string such as "30s" or "1m30s"`, source: "cloudflared" });
        continue;
      }
      let nanos: bigint;
      try {
        nanos = goParseDuration(value);
      } catch (error) {
        problems.push({ field: key, message: `${key} ${JSON.stringify(value)} is not a Go duration such as "30s" or "1m30s": cloudflared refuses it (${(error as Error).message})`, source: "cloudflared" });
        continue;
      }
      if (nanos < 0n) problems.push({ field: key, message: `${PROJECT} ${key} ${JSON.stringify(value)} is negative (cloudflared accepts it, but a negative timeout makes no sense)`, source: "project" });
    } else if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
      if (typeof value === "boolean") continue;
      if (typeof value === "string" && YAML_BOOL_STRINGS.includes(value)) {
        problems.push({ field: key, message: `${PROJECT} ${key} is the string ${JSON.stringify(value)}: write true or false (cloudflared's YAML decoding would read it as a boolean)`, source: "project" });
      } else {
        problems.push({ field: key, message: `${key} is ${describe(value)}: cloudflared's YAML decoding needs true or false`, source: "cloudflared" });
      }
    } else if ((STRING_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== "string") {
        problems.push(
          isRecord(value) || Array.isArray(value)
            ? { field: key, message: `${key} is ${describe(value)}: cloudflared's YAML decoding needs a string`, source: "cloudflared" }
            : { field: key, message: `${PROJECT} ${key} is ${describe(value)}: write it as a string`, source: "project" },
        );
      } else if (key === "proxyType" && value !== "" && value !== "socks") {
        problems.push({ field: key, message: `${PROJECT} proxyType ${JSON.stringify(value)} has no effect: cloudflared only acts on "socks" (or nothing)`, source: "project" });
      }
    } else if ((INT_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        problems.push({ field: key, message: `${key} is ${describe(value)}: cloudflared's YAML decoding needs a whole number`, source: "cloudflared" });
      } else if (!Number.isInteger(value)) {
        problems.push({ field: key, message: `${PROJECT} ${key} is ${value}: it must be a whole number (cloudflared would truncate it)`, source: "project" });
      } else if (key === "proxyPort" && value < 0) {
        problems.push({ field: key, message: `proxyPort is ${value}: cloudflared's YAML decoding refuses a negative port (it is unsigned)`, source: "cloudflared" });
      } else if (key === "proxyPort" && value > 65535) {
        problems.push({ field: key, message: `${PROJECT} proxyPort is ${value}: it must be from 0 to 65535 (0 picks a free port)`, source: "project" });
      } else if (key === "keepAliveConnections" && value < 0) {
        problems.push({ field: key, message: `${PROJECT} keepAliveConnections is ${value}: it must not be negative`, source: "project" });
      }
    } else if (key === "ipRules") {
      checkIpRules(value, strictIpRules, problems);
    } else if (key === "access") {
      checkAccess(value, where, problems);
    }
  }
  return problems;
}

/**
 * Problems with one originRequest block; fields are relative to the block ("connectTimeout",
 * "ipRules[0].prefix", "access.teamName"). `where` is "rule" for a rule's own block (cloudflared
 * checks its access settings) or "global" for the top-level block. ipRules entries are checked as
 * a project rule here; on a socks-proxy rule validateIngress reports them as cloudflared's.
 */
export function validateOriginRequest(settings: OriginRequest, where: "rule" | "global"): SettingProblem[] {
  return originRequestProblems(settings, where, false);
}

/**
 * Settings the Terraform Cloudflare provider 5.x cannot express for a remotely managed tunnel
 * (`cloudflare_zero_trust_tunnel_cloudflared_config`): bastionMode, proxyAddress, proxyPort,
 * ipRules, access.environment, and "access" itself when it lacks audTag or teamName (the provider
 * requires both in an access block). Names are the cloudflared keys; empty when all can be sent.
 */
export function remoteModeUnsupported(settings: OriginRequest): string[] {
  const unsupported: string[] = [];
  for (const key of ["bastionMode", "proxyAddress", "proxyPort", "ipRules"] as const) {
    if (settings[key] !== undefined && settings[key] !== null) unsupported.push(key);
  }
  const access = settings.access;
  if (access !== undefined && access !== null) {
    if (access.environment !== undefined && access.environment !== null) unsupported.push("access.environment");
    if (!access.teamName || !access.audTag || access.audTag.length === 0) unsupported.push("access");
  }
  return unsupported;
}

/** A Go duration string as whole seconds, rounded up (Terraform's origin_request takes seconds). */
export function durationSeconds(duration: GoDuration): number {
  const nanos = goParseDuration(duration);
  const second = 1_000_000_000n;
  const whole = nanos / second; // truncates toward zero
  return Number(nanos > 0n && nanos % second !== 0n ? whole + 1n : whole);
}

const TERRAFORM_NAMES: Record<string, string> = {
  connectTimeout: "connect_timeout",
  tlsTimeout: "tls_timeout",
  tcpKeepAlive: "tcp_keep_alive",
  noHappyEyeballs: "no_happy_eyeballs",
  keepAliveConnections: "keep_alive_connections",
  keepAliveTimeout: "keep_alive_timeout",
  httpHostHeader: "http_host_header",
  originServerName: "origin_server_name",
  matchSNItoHost: "match_sn_ito_host",
  caPool: "ca_pool",
  noTLSVerify: "no_tls_verify",
  disableChunkedEncoding: "disable_chunked_encoding",
  proxyType: "proxy_type",
  http2Origin: "http2_origin",
};

/**
 * The provider 5.x `origin_request` block (snake_case; durations as whole seconds, rounded up).
 * Settings in remoteModeUnsupported() are left out: refuse them first. Expects valid settings.
 */
export function originRequestToTerraform(settings: OriginRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(TERRAFORM_NAMES)) {
    const value = (settings as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    out[name] = (DURATION_KEYS as readonly string[]).includes(key) ? durationSeconds(value as string) : value;
  }
  const access = settings.access;
  if (access !== undefined && access !== null) {
    out.access = {
      ...(access.audTag !== undefined ? { aud_tag: [...access.audTag] } : {}),
      ...(access.teamName !== undefined ? { team_name: access.teamName } : {}),
      ...(access.required !== undefined ? { required: access.required } : {}),
    };
  }
  return out;
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

/** The locally managed config.yml (seed 000's format), rendered with the `yaml` package. */
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
