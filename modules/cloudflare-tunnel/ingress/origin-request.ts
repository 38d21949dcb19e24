/**
 * cloudflared's `originRequest` settings (per ingress rule or at the top), typed and checked as
 * cloudflared decodes them, plus the project's stricter rules, and their form in the Cloudflare
 * provider's remote configuration. Pure, no cdktf.
 */
import { goParseCIDR, goParseDuration } from "./go-url";
import { PROJECT, SettingProblem, describe, isRecord } from "./wording";

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

const DURATION_KEYS = ["connectTimeout", "tlsTimeout", "tcpKeepAlive", "keepAliveTimeout"] as const;
const BOOLEAN_KEYS = ["noHappyEyeballs", "matchSNItoHost", "noTLSVerify", "disableChunkedEncoding", "bastionMode", "http2Origin"] as const;
const STRING_KEYS = ["httpHostHeader", "originServerName", "caPool", "proxyAddress", "proxyType"] as const;
const INT_KEYS = ["keepAliveConnections", "proxyPort"] as const;
const ORIGIN_REQUEST_KEYS: readonly string[] = [...DURATION_KEYS, ...BOOLEAN_KEYS, ...STRING_KEYS, ...INT_KEYS, "ipRules", "access"];
const ACCESS_KEYS = ["required", "teamName", "audTag", "environment"];
const IP_RULE_KEYS = ["prefix", "ports", "allow"];
const YAML_BOOL_STRINGS = ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"];


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

export function originRequestProblems(settings: unknown, where: "rule" | "global", strictIpRules: boolean): SettingProblem[] {
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
