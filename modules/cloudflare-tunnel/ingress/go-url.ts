/**
 * Small emulations of the Go standard library pieces cloudflared uses to validate ingress rules
 * (Go 1.26, cloudflared's toolchain): `net/url.Parse` (with `URL.Hostname`/`URL.Port`),
 * `net.SplitHostPort`, `net.ParseCIDR` / `netip.ParseAddr`, `strconv.Atoi` and
 * `time.ParseDuration`. Written from the documented behaviour of those functions; errors carry
 * Go's error text so messages can quote what cloudflared would print.
 *
 * Strings are handled as UTF-16 code units; every check Go makes on bytes concerns ASCII bytes
 * only, and non-ASCII characters are passed through as Go passes non-ASCII bytes through.
 */

/** An error whose message is Go's error text. */
export class GoError extends Error {}

/** Go's `strconv.Quote`, close enough for messages. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\u0007") out += "\\a";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\v") out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

// ---------------------------------------------------------------- net/url

/** The fields of Go's `url.URL` that matter here. Host and Path are decoded (unescaped). */
export interface GoURL {
  readonly scheme: string;
  readonly opaque: string;
  readonly user?: { readonly username: string; readonly password?: string };
  readonly host: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly forceQuery: boolean;
  readonly fragment: string;
}

type EscapeMode = "path" | "host" | "zone" | "userPassword" | "fragment";

const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/** Go's `shouldEscape`, for the modes `unescape` consults (host and zone). */
function shouldEscapeHost(c: string): boolean {
  if (isAlnum(c)) return false;
  if ("!$&'()*+,;=:[]<>\"".includes(c)) return false;
  return !"-_.~".includes(c);
}

function decodeBytes(bytes: number[]): string {
  return Buffer.from(bytes).toString("utf8");
}

/** Go's `unescape(s, mode)`: the decoded string, or a GoError with Go's text. */
function unescape(s: string, mode: EscapeMode): string {
  let escapes = 0;
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    if (c === "%") {
      escapes++;
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        const bad = s.slice(i, i + 3);
        throw new GoError(`invalid URL escape ${goQuote(bad)}`);
      }
      const three = s.slice(i, i + 3);
      const value = parseInt(s.slice(i + 1, i + 3), 16);
      // Hosts may only %-encode non-ASCII bytes (RFC 3986 §3.2.2); %25 is the zone separator.
      if (mode === "host" && value < 0x80 && three !== "%25") throw new GoError(`invalid URL escape ${goQuote(three)}`);
      if (mode === "zone" && three !== "%25" && value !== 0x20 && shouldEscapeHost(String.fromCharCode(value))) {
        throw new GoError(`invalid URL escape ${goQuote(three)}`);
      }
      i += 3;
      continue;
    }
    if ((mode === "host" || mode === "zone") && c.charCodeAt(0) < 0x80 && shouldEscapeHost(c)) {
      throw new GoError(`invalid character ${goQuote(c)} in host name`);
    }
    i++;
  }
  if (escapes === 0) return s;
  // Decode: %XX become bytes; other characters are kept as their UTF-8 bytes.
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    if (s[i] === "%") {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(ch, "utf8"));
      i += ch.length;
    }
  }
  return decodeBytes(bytes);
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z")) continue;
    if ((c >= "0" && c <= "9") || c === "+" || c === "-" || c === ".") {
      if (i === 0) return ["", raw];
      continue;
    }
    if (c === ":") {
      if (i === 0) throw new GoError("missing protocol scheme");
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ["", raw];
  }
  return ["", raw];
}

/** `validOptionalPort`: "" or ":" followed by digits only. */
function validOptionalPort(port: string): boolean {
  if (port === "") return true;
  return port[0] === ":" && /^[0-9]*$/.test(port.slice(1));
}

function validUserinfo(s: string): boolean {
  for (const c of s) if (!(isAlnum(c) || "-._:~!$&'()*+,;=%@".includes(c))) return false;
  return true;
}

function parseHost(host: string): string {
  const open = host.lastIndexOf("[");
  if (open > 0) throw new GoError("invalid IP-literal");
  if (open === 0) {
    const close = host.lastIndexOf("]");
    if (close < 0) throw new GoError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new GoError(`invalid port ${goQuote(colonPort)} after host`);
    const inside = host.slice(1, close);
    const zone = inside.indexOf("%25");
    const address = zone >= 0 ? unescape(inside.slice(0, zone), "host") + unescape(inside.slice(zone), "zone") : unescape(inside, "host");
    let isV4: boolean;
    try {
      isV4 = parseAddr(address).v4;
    } catch (error) {
      throw new GoError(`invalid host: ${(error as Error).message}`);
    }
    if (isV4) throw new GoError("invalid IP-literal");
    return `[${address}]${colonPort}`;
  }
  // Go 1.26 default (urlstrictcolons=1): the first colon starts the port, which must be digits.
  const colon = host.indexOf(":");
  if (colon >= 0) {
    const colonPort = host.slice(colon);
    if (!validOptionalPort(colonPort)) throw new GoError(`invalid port ${goQuote(colonPort)} after host`);
  }
  return unescape(host, "host");
}

function parseAuthority(authority: string): Pick<GoURL, "user" | "host"> {
  const at = authority.lastIndexOf("@");
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (at < 0) return { host };
  const userinfo = authority.slice(0, at);
  if (!validUserinfo(userinfo)) throw new GoError("net/url: invalid userinfo");
  const colon = userinfo.indexOf(":");
  if (colon < 0) return { host, user: { username: unescape(userinfo, "userPassword") } };
  return {
    host,
    user: { username: unescape(userinfo.slice(0, colon), "userPassword"), password: unescape(userinfo.slice(colon + 1), "userPassword") },
  };
}

function parseWithoutFragment(raw: string): Omit<GoURL, "fragment"> {
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new GoError("net/url: invalid control character in URL");
  if (raw === "*") return { scheme: "", opaque: "", host: "", path: "*", rawQuery: "", forceQuery: false };
  const [rawScheme, afterScheme] = getScheme(raw);
  const scheme = rawScheme.toLowerCase();
  let rest = afterScheme;
  let rawQuery = "";
  let forceQuery = false;
  if (rest.endsWith("?") && rest.split("?").length === 2) {
    forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf("?");
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith("/")) {
    if (scheme !== "") return { scheme, opaque: rest, host: "", path: "", rawQuery, forceQuery };
    const slash = rest.indexOf("/");
    const segment = slash < 0 ? rest : rest.slice(0, slash);
    if (segment.includes(":")) throw new GoError("first path segment in URL cannot contain colon");
  }
  let user: GoURL["user"];
  let host = "";
  if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    ({ user, host } = parseAuthority(authority));
  }
  const path = unescape(rest, "path");
  return { scheme, opaque: "", ...(user ? { user } : {}), host, path, rawQuery, forceQuery };
}

/** Go's `url.Parse`; throws a GoError with Go's text (`parse "<url>": <why>`). */
export function goParseURL(raw: string): GoURL {
  const hash = raw.indexOf("#");
  const base = hash < 0 ? raw : raw.slice(0, hash);
  const fragment = hash < 0 ? "" : raw.slice(hash + 1);
  let parsed: Omit<GoURL, "fragment">;
  try {
    parsed = parseWithoutFragment(base);
  } catch (error) {
    throw new GoError(`parse ${goQuote(base)}: ${(error as Error).message}`);
  }
  if (fragment === "") return { ...parsed, fragment: "" };
  try {
    return { ...parsed, fragment: unescape(fragment, "fragment") };
  } catch (error) {
    throw new GoError(`parse ${goQuote(raw)}: ${(error as Error).message}`);
  }
}

function splitURLHostPort(hostPort: string): [string, string] {
  let host = hostPort;
  let port = "";
  const colon = host.lastIndexOf(":");
  if (colon >= 0 && validOptionalPort(host.slice(colon))) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return [host, port];
}

/** `URL.Hostname()`: the host without port and brackets. */
export function goHostname(url: GoURL): string {
  return splitURLHostPort(url.host)[0];
}

/** `URL.Port()`: the digits after the host's last colon, or "". */
export function goPort(url: GoURL): string {
  return splitURLHostPort(url.host)[1];
}

// ---------------------------------------------------------------- net

/** `net.SplitHostPort`: [host, port], or a GoError. */
export function goSplitHostPort(hostport: string): [string, string] {
  const fail = (why: string): never => {
    throw new GoError(`address ${hostport}: ${why}`);
  };
  const last = hostport.lastIndexOf(":");
  if (last < 0) fail("missing port in address");
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === "[") {
    const end = hostport.indexOf("]");
    if (end < 0) fail("missing ']' in address");
    if (end + 1 === hostport.length) fail("missing port in address");
    if (end + 1 !== last) fail(hostport[end + 1] === ":" ? "too many colons in address" : "missing port in address");
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, last);
    if (host.includes(":")) fail("too many colons in address");
  }
  if (hostport.slice(j).includes("[")) fail("unexpected '[' in address");
  if (hostport.slice(k).includes("]")) fail("unexpected ']' in address");
  return [host, hostport.slice(last + 1)];
}

/** `netip.ParseAddr`: whether the address is IPv4 (and its bit length), or a GoError. */
export function parseAddr(s: string): { v4: boolean; bits: number; zone: string } {
  const fail = (why: string, at?: string): never => {
    throw new GoError(`ParseAddr(${goQuote(s)}): ${why}${at ? ` (at ${goQuote(at)})` : ""}`);
  };
  for (const c of s) {
    if (c === ".") {
      parseIPv4(s, fail);
      return { v4: true, bits: 32, zone: "" };
    }
    if (c === ":") {
      const zone = parseIPv6(s, fail);
      return { v4: false, bits: 128, zone };
    }
    if (c === "%") fail("missing IPv6 address");
  }
  return fail("unable to parse IP");
}

type Fail = (why: string, at?: string) => never;

function parseIPv4(s: string, fail: Fail): void {
  let value = 0;
  let pos = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c >= "0" && c <= "9") {
      if (digits === 1 && value === 0) fail("IPv4 field has octet with leading zero");
      value = value * 10 + (c.charCodeAt(0) - 48);
      digits++;
      if (value > 255) fail("IPv4 field has value >255");
    } else if (c === ".") {
      if (i === 0 || i === s.length - 1 || s[i - 1] === ".") fail("IPv4 field must have at least one digit", s.slice(i));
      if (pos === 3) fail("IPv4 address too long");
      pos++;
      value = 0;
      digits = 0;
    } else {
      fail("unexpected character", s.slice(i));
    }
  }
  if (pos < 3) fail("IPv4 address too short");
}

/** Returns the zone ("" when none). */
function parseIPv6(input: string, fail: Fail): string {
  let s = input;
  let zone = "";
  const percent = s.indexOf("%");
  if (percent >= 0) {
    zone = s.slice(percent + 1);
    s = s.slice(0, percent);
    if (zone === "") fail("zone must be a non-empty string");
  }
  let ellipsis = -1;
  if (s.startsWith("::")) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === "") return zone;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    while (off < s.length && isHex(s[off])) {
      acc = acc * 16 + parseInt(s[off], 16);
      if (off > 3) fail("each group must have 4 or less digits", s);
      if (acc > 0xffff) fail("IPv6 field has value >=2^16", s);
      off++;
    }
    if (off === 0) fail("each colon-separated field must have at least one digit", s);
    if (s[off] === ".") {
      if (ellipsis < 0 && i !== 12) fail("embedded IPv4 address must replace the final 2 fields of the address", s);
      if (i + 4 > 16) fail("too many hex fields to fit an embedded IPv4 at the end of the address", s);
      parseIPv4(s, fail);
      s = "";
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(off);
    if (s === "") break;
    if (s[0] !== ":") fail("unexpected character, want colon", s);
    if (s.length === 1) fail("colon must be followed by more characters", s);
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) fail("multiple :: in address", s);
      ellipsis = i;
      s = s.slice(1);
      if (s === "") break;
    }
  }
  if (s !== "") fail("trailing garbage after address", s);
  if (i < 16) {
    if (ellipsis < 0) fail("address string too short");
  } else if (ellipsis >= 0) {
    fail("the :: must expand to at least one field of zeros");
  }
  return zone;
}

/** `net.ParseCIDR`: succeeds silently or throws `invalid CIDR address: <s>`. */
export function goParseCIDR(s: string): void {
  const fail = (): never => {
    throw new GoError(`invalid CIDR address: ${s}`);
  };
  const slash = s.indexOf("/");
  if (slash < 0) fail();
  let addr: ReturnType<typeof parseAddr>;
  try {
    addr = parseAddr(s.slice(0, slash));
  } catch {
    return fail();
  }
  if (addr.zone !== "") fail();
  const mask = s.slice(slash + 1);
  if (!/^[0-9]+$/.test(mask)) fail();
  // Go's dtoi accepts leading zeros and gives up at 0xFFFFFF; such values are out of range anyway.
  const digits = mask.replace(/^0+/, "");
  if (digits.length > 3 || Number(digits || "0") > addr.bits) fail();
}

// ---------------------------------------------------------------- strconv

/** `strconv.Atoi` for values that fit in a JS number: a number, or a GoError with Go's text. */
export function goAtoi(s: string): number {
  const syntax = () => new GoError(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  if (!/^[+-]?[0-9]+$/.test(s)) throw syntax();
  const value = BigInt(s);
  if (value > 9223372036854775807n || value < -9223372036854775808n) throw new GoError(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  return Number(value);
}

// ---------------------------------------------------------------- time

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n,
  "\u03bcs": 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const TWO_63 = 1n << 63n;

/** `time.ParseDuration`: nanoseconds as a bigint, or a GoError with Go's text. */
export function goParseDuration(orig: string): bigint {
  const invalid = () => new GoError(`time: invalid duration ${goQuote(orig)}`);
  let s = orig;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid();
  let total = 0n;
  while (s !== "") {
    if (!(s[0] === "." || (s[0] >= "0" && s[0] <= "9"))) throw invalid();
    // [0-9]*
    let i = 0;
    let v = 0n;
    while (i < s.length && s[i] >= "0" && s[i] <= "9") {
      if (v > (TWO_63 - 1n) / 10n) throw invalid();
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v >= TWO_63) throw invalid();
      i++;
    }
    const pre = i > 0;
    s = s.slice(i);
    // (\.[0-9]*)?
    let post = false;
    let fraction = 0;
    let scale = 1;
    if (s !== "" && s[0] === ".") {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      let f = 0n;
      while (j < s.length && s[j] >= "0" && s[j] <= "9") {
        if (!overflow) {
          if (f > (TWO_63 - 1n) / 10n) overflow = true;
          else {
            const next = f * 10n + BigInt(s.charCodeAt(j) - 48);
            if (next >= TWO_63) overflow = true;
            else {
              f = next;
              scale *= 10;
            }
          }
        }
        j++;
      }
      post = j > 0;
      fraction = Number(f);
      s = s.slice(j);
    }
    if (!pre && !post) throw invalid();
    // unit: everything up to the next '.' or digit
    let u = 0;
    while (u < s.length && !(s[u] === "." || (s[u] >= "0" && s[u] <= "9"))) u++;
    if (u === 0) throw new GoError(`time: missing unit in duration ${goQuote(orig)}`);
    const unitName = s.slice(0, u);
    s = s.slice(u);
    const unit = UNITS[unitName];
    if (unit === undefined) throw new GoError(`time: unknown unit ${goQuote(unitName)} in duration ${goQuote(orig)}`);
    if (v > TWO_63 / unit) throw invalid();
    v *= unit;
    if (fraction > 0) {
      v += BigInt(Math.trunc(fraction * (Number(unit) / scale)));
      if (v > TWO_63) throw invalid();
    }
    total += v;
    if (total > TWO_63) throw invalid();
  }
  if (neg) return -total;
  if (total > TWO_63 - 1n) throw invalid();
  return total;
}
