import fc from "fast-check";
import { parse } from "yaml";
import { IngressProblem, IngressRule, describeService, hostnameAscii, isCatchAll, renderConfigYaml, validateIngress } from "../modules/cloudflare-tunnel/ingress/ingress";
import { OriginRequest, durationSeconds, originRequestToTerraform, remoteModeUnsupported, validateOriginRequest } from "../modules/cloudflare-tunnel/ingress/origin-request";
import { goParseCIDR, goParseDuration, goParseURL, goSplitHostPort } from "../modules/cloudflare-tunnel/ingress/go-url";

const ZONE = "example.com";
const CATCH_ALL: IngressRule = { service: "http_status:404" };
const SEED_000: IngressRule[] = [{ hostname: "ssh.example.com", service: "ssh://localhost:22" }, CATCH_ALL];
const messages = (rules: IngressRule[], zone = ZONE, global?: OriginRequest) =>
  validateIngress(rules, zone, global).map((p) => `${p.index}.${p.field} [${p.source}]: ${p.message}`);
const cloudflaredOnly = (problems: IngressProblem[]) => problems.filter((p) => p.source === "cloudflared");
/** A rule list with `rule` first (not last), so only the rule's own checks matter. */
const first = (rule: IngressRule) => [rule, CATCH_ALL];

describe("cloudflared ingress validation", () => {
  it("accepts seed 000's rules", () => {
    expect(validateIngress(SEED_000, ZONE)).toEqual([]);
  });

  describe("catch-all placement (cloudflared)", () => {
    it("refuses an empty list", () => {
      expect(messages([])).toEqual([expect.stringMatching(/^0\. \[cloudflared\]: the ingress list is empty: cloudflared needs/)]);
    });
    it("wants a catch-all last", () => {
      expect(messages([{ hostname: "ssh.example.com", service: "ssh://localhost:22" }])).toEqual([
        expect.stringMatching(/^0\.hostname \[cloudflared\]: the last rule has hostname "ssh\.example\.com": cloudflared needs the last rule to match everything/),
      ]);
      expect(messages([{ path: "^/api", service: "http://localhost:8080" }])).toEqual([expect.stringMatching(/^0\.path \[cloudflared\]: the last rule has path/)]);
      // Any path, even one that matches everything, makes the rule no catch-all.
      expect(messages([{ path: ".*", service: "http://localhost:8080" }])).toHaveLength(1);
      expect(messages([{ hostname: "*", path: "^/", service: "http://localhost:8080" }])).toHaveLength(1);
    });
    it("wants only the last rule to be a catch-all", () => {
      expect(messages([CATCH_ALL, ...SEED_000])).toEqual([expect.stringMatching(/^0\.hostname \[cloudflared\]: rule 1 of 3 matches every request .*cloudflared allows that only for the last rule/)]);
      expect(messages([{ hostname: "*", service: "http://localhost:1" }, CATCH_ALL])).toHaveLength(1);
    });
    it('accepts "*" and a lone catch-all', () => {
      expect(messages([{ hostname: "*", service: "http_status:404" }])).toEqual([]);
      expect(messages([{ service: "https://localhost:8000" }])).toEqual([]);
    });
    it("accepts an empty hostname with a path before the last rule", () => {
      expect(messages([{ path: "^/api/", service: "http://localhost:8080" }, CATCH_ALL])).toEqual([]);
    });
    it("isCatchAll follows cloudflared's definition", () => {
      expect(isCatchAll({ service: "x" })).toBe(true);
      expect(isCatchAll({ hostname: "*", service: "x" })).toBe(true);
      expect(isCatchAll({ hostname: "", path: "", service: "x" })).toBe(true);
      expect(isCatchAll({ hostname: "*", path: ".*", service: "x" })).toBe(false);
      expect(isCatchAll({ hostname: "a.example.com", service: "x" })).toBe(false);
    });
  });

  describe("services (FINDINGS test vectors)", () => {
    it.each([
      "https://localhost:8000",
      "http_status:404",
      "http_status:100",
      "http_status:999",
      "http_status:+404",
      "http_status:0404",
      "hello_world",
      "hello-world",
      "unix:/tmp/echo.sock",
      "unix+tls:/tmp/echo.sock",
      "unix:",
      "ssh://127.0.0.1",
      "rdp://h",
      "smb://h",
      "tcp://127.0.0.1",
      "ftp://127.0.0.1",
      "foo://h:1",
      "ws://localhost:8000",
      "wss://localhost:8000",
      "HTTP://h",
      "http://h:80?x=1",
      "http://h#f",
      "http://h:99999",
      "http://[::1]:8080",
      "http://user:pass@localhost:8080",
      "bastion",
      "socks-proxy",
    ])("accepts %s", (service) => {
      expect(messages([{ service }])).toEqual([]);
      expect(describeService(service).kind).not.toBe("invalid");
    });

    it.each([
      ["localhost:8000", /has no host name \(Go's url\.Parse reads "localhost" as its scheme\): cloudflared needs a URL with a scheme and a host/],
      ["127.0.0.1:8000", /is not a URL: cloudflared refuses it \(parse "127\.0\.0\.1:8000": first path segment in URL cannot contain colon\)/],
      ["https://localhost:8000/static/", /has a path \("\/static\/"\): cloudflared refuses service URLs with any path/],
      ["http://h:80/", /has a path \("\/"\)/],
      ["http://localhost:8080/", /^service "http:\/\/localhost:8080\/" has a path \("\/"\): cloudflared refuses service URLs with any path \(the request's own path is sent to the origin\)$/],
      ["ssh://localhost:22/", /has a path \("\/"\)/],
      ["http://h/%7e", /has a path \("\/~"\)/],
      ["https://local host:8000", /invalid character " " in host name/],
      ["http://h:abc", /invalid port ":abc" after host/],
      ["http://a:b:80", /invalid port ":b:80" after host/],
      ["http://[1.2.3.4]:80", /invalid IP-literal/],
      ["http://[::1", /missing '\]' in host/],
      ["http://h/%zz", /invalid URL escape "%zz"/],
      ["http://h\n", /invalid control character in URL/],
      ["://h", /missing protocol scheme/],
      ["http://", /has no host name/],
      ["http://:80", /has no host name/],
      ["http:h", /has no host name/],
      ["", /^service is empty: cloudflared needs one/],
      ["warp-routing", /has no scheme: cloudflared/],
      ["http_status:asdf", /invalid HTTP status code: strconv\.Atoi: parsing "asdf": invalid syntax/],
      ["http_status:8080", /has status 8080: cloudflared accepts status codes from 100 to 999/],
      ["http_status:99", /has status 99/],
      ["http_status: 404", /invalid syntax/],
    ])("refuses %j", (service, message) => {
      const problems = validateIngress([{ service }], ZONE);
      expect(problems).toEqual([{ index: 0, field: "service", message: expect.stringMatching(message), source: "cloudflared" }]);
    });

    it("accepts any service when bastionMode is on (per rule or global), as cloudflared does", () => {
      expect(messages([{ service: "", originRequest: { bastionMode: true } }])).toEqual([]);
      expect(messages([{ service: "http://h/whatever", originRequest: { bastionMode: true } }])).toEqual([]);
      expect(messages([{ service: "" }], ZONE, { bastionMode: true })).toEqual([]);
      // A rule's own false overrides the global true.
      expect(messages([{ service: "", originRequest: { bastionMode: false } }], ZONE, { bastionMode: true })).toHaveLength(1);
      expect(describeService("http://h:1", true)).toEqual({ kind: "bastion" });
      // The special services come first: bastionMode does not change them.
      expect(describeService("http_status:404", true)).toEqual({ kind: "status", status: 404 });
    });
  });

  describe("describeService", () => {
    it.each<[string, unknown]>([
      ["ssh://localhost", { kind: "tcp", scheme: "ssh", host: "localhost", port: 22 }],
      ["ssh://localhost:2222", { kind: "tcp", scheme: "ssh", host: "localhost", port: 2222 }],
      ["rdp://10.0.0.5", { kind: "tcp", scheme: "rdp", host: "10.0.0.5", port: 3389 }],
      ["smb://files", { kind: "tcp", scheme: "smb", host: "files", port: 445 }],
      ["tcp://db", { kind: "tcp", scheme: "tcp", host: "db", port: 7864 }],
      ["ftp://127.0.0.1", { kind: "tcp", scheme: "ftp", host: "127.0.0.1" }],
      ["wss://localhost:8000", { kind: "http", scheme: "wss", host: "localhost", port: 8000, tls: true }],
      ["ws://localhost", { kind: "http", scheme: "ws", host: "localhost", tls: false }],
      ["HTTPS://[::1]:8443", { kind: "http", scheme: "https", host: "::1", port: 8443, tls: true }],
      ["http://localhost:8080", { kind: "http", scheme: "http", host: "localhost", port: 8080, tls: false }],
      ["http_status:404", { kind: "status", status: 404 }],
      ["hello_world", { kind: "hello-world" }],
      ["hello-world", { kind: "hello-world" }],
      ["unix:/run/app.sock", { kind: "unix", path: "/run/app.sock", tls: false }],
      ["unix+tls:/run/app.sock", { kind: "unix", path: "/run/app.sock", tls: true }],
      ["bastion", { kind: "bastion" }],
      ["socks-proxy", { kind: "socks-proxy" }],
    ])("%s", (service, expected) => {
      expect(describeService(service)).toEqual(expected);
    });
    it("describes refused services with cloudflared's reason", () => {
      expect(describeService("http://localhost:8080/")).toEqual({ kind: "invalid", message: expect.stringContaining("cloudflared refuses service URLs with any path") });
    });
  });

  describe("hostnames", () => {
    it.each([
      ["test.example.com:443", /carries a port \(":443"\): cloudflared refuses hostnames with a port/],
      ["a.example.com:", /carries a port \(":"\)/],
      ["a.example.com:abc", /carries a port/],
      ["[::1]:80", /carries a port/],
      ["test.*.example.com", /has a "\*" after its first character: cloudflared allows one wildcard/],
      ["**", /has a "\*" after its first character/],
      ["*.*.example.com", /has a "\*" after its first character/],
    ])("cloudflared refuses %s", (hostname, message) => {
      expect(validateIngress(first({ hostname, service: "http://localhost:1" }), ZONE)).toEqual([
        { index: 0, field: "hostname", message: expect.stringMatching(message), source: "cloudflared" },
      ]);
    });

    it.each([
      ["*.example.com", "example.com"],
      ["môô.cloudflare.com", "cloudflare.com"],
      ["Example.COM", "example.com"],
      ["*example.com", "example.com"],
      ["a:b:c", "example.com"],
      ["ssh.other.org", "example.com"],
    ])("cloudflared accepts %s (project rules may still refuse it)", (hostname, zone) => {
      expect(cloudflaredOnly(validateIngress(first({ hostname, service: "http://localhost:1" }), zone))).toEqual([]);
    });

    it.each([
      ["SSH.example.com", /^\(project rule\) hostname "SSH\.example\.com" must be lower case/],
      ["*example.com", /^\(project rule\) hostname "\*example\.com" uses "\*" without a following dot: .* never matches/],
      ["ssh.other.com", /^\(project rule\) hostname "ssh\.other\.com" is not in the zone example\.com$/],
      ["-bad.example.com", /^\(project rule\) hostname "-bad\.example\.com" is not a valid host name/],
      ["a_b.example.com", /is not a valid host name/],
      ["a:b:c", /is not a valid host name/],
      ["com", /must have at least two labels|is not in the zone/],
      ["*.môô.example.com", /punycode "\*\.xn--m-xgaa\.example\.com"\) is a wildcard with non-ASCII labels/],
      ["môô.other.com", /hostname "môô\.other\.com" \(punycode "xn--m-xgaa\.other\.com"\) is not in the zone example\.com/],
    ])("project rule refuses %s", (hostname, message) => {
      expect(validateIngress(first({ hostname, service: "http://localhost:1" }), ZONE)).toEqual([
        { index: 0, field: "hostname", message: expect.stringMatching(message), source: "project" },
      ]);
    });

    it("accepts the zone apex, subdomains, a leading wildcard and IDN hostnames in the zone", () => {
      for (const hostname of ["example.com", "ssh.example.com", "a.b.example.com", "*.example.com", "môô.example.com", "xn--m-xgaa.example.com"]) {
        expect(messages(first({ hostname, service: "http://localhost:1" }))).toEqual([]);
      }
    });

    it("gives the punycode form of IDN hostnames", () => {
      expect(hostnameAscii("môô.cloudflare.com")).toBe("xn--m-xgaa.cloudflare.com");
      expect(hostnameAscii("Example.COM")).toBe("example.com");
    });

    it("refuses duplicate hostname/path pairs (project rule), also via punycode", () => {
      const rules = [SEED_000[0], { ...SEED_000[0], service: "ssh://localhost:2222" }, CATCH_ALL];
      expect(messages(rules)).toEqual([expect.stringMatching(/^1\.hostname \[project\]: \(project rule\) hostname "ssh\.example\.com" repeats ingress\[0\]/)]);
      expect(messages([{ hostname: "môô.example.com", service: "http://h" }, { hostname: "xn--m-xgaa.example.com", service: "http://h" }, CATCH_ALL])).toHaveLength(1);
      // Same hostname, different paths: fine.
      expect(messages([{ hostname: "a.example.com", path: "^/a", service: "http://h" }, { hostname: "a.example.com", path: "^/b", service: "http://h" }, CATCH_ALL])).toEqual([]);
      expect(messages([{ path: "^/a", service: "http://h" }, { path: "^/a", service: "http://h" }, CATCH_ALL])).toEqual([
        expect.stringMatching(/^1\.path \[project\]: \(project rule\)/),
      ]);
    });
  });

  describe("paths are Go RE2 expressions (cloudflared)", () => {
    it.each(["(?i)^/api", "(?P<v>v\\d+)", "(?<v>v\\d+)", "^/static/.*\\.html$", "\\A/x\\z", "[[:alpha:]]+", "\\Qa.b\\E", "a{1000}", "\\p{Greek}"])("accepts %s", (path) => {
      expect(messages(first({ hostname: "a.example.com", path, service: "http://localhost:1" }))).toEqual([]);
    });
    it.each([
      ["*/subpath2", /missing argument to repetition operator: `\*`/],
      ["(?=x)", /invalid or unsupported Perl syntax: `\(\?=`/],
      ["(?!x)", /invalid or unsupported Perl syntax/],
      ["(?<=x)y", /invalid named capture|invalid or unsupported Perl syntax/],
      ["(a)\\1", /invalid escape sequence: `\\1`/],
      ["a{1001}", /invalid repeat count/],
      ["[a-", /missing closing \]/],
      ["a++", /invalid nested repetition operator/],
    ])("refuses %s", (path, message) => {
      expect(validateIngress(first({ hostname: "a.example.com", path, service: "http://localhost:1" }), ZONE)).toEqual([
        { index: 0, field: "path", message: expect.stringMatching(message), source: "cloudflared" },
      ]);
      expect(validateIngress(first({ hostname: "a.example.com", path, service: "http://localhost:1" }), ZONE)[0].message).toMatch(/^path .* is not a valid RE2 \(Go regexp\) expression: cloudflared refuses it/);
    });
  });

  describe("originRequest", () => {
    const FULL: OriginRequest = {
      connectTimeout: "30s",
      tlsTimeout: "1m30s",
      tcpKeepAlive: "1.5h",
      noHappyEyeballs: false,
      keepAliveConnections: 100,
      keepAliveTimeout: "90s",
      httpHostHeader: "internal.example.com",
      originServerName: "internal.example.com",
      matchSNItoHost: true,
      caPool: "/etc/ssl/origin-ca.pem",
      noTLSVerify: false,
      disableChunkedEncoding: true,
      bastionMode: false,
      proxyAddress: "127.0.0.1",
      proxyPort: 0,
      proxyType: "socks",
      ipRules: [{ prefix: "10.0.0.0/8", ports: [22, 443], allow: true }, { prefix: "2001:db8::/32", allow: false }],
      http2Origin: true,
      access: { required: true, teamName: "team", audTag: ["aud1"], environment: "fed" },
    };

    it("accepts every setting, per rule and global", () => {
      expect(validateOriginRequest(FULL, "rule")).toEqual([]);
      const { access: _access, ...global } = FULL;
      expect(validateOriginRequest(global, "global")).toEqual([]);
      expect(messages([{ hostname: "a.example.com", service: "https://localhost:8443", originRequest: FULL }, CATCH_ALL], ZONE, global)).toEqual([]);
    });

    it.each(["0", "-0", "+5s", "300ms", "1h2m3.5s", ".5s", "1.s", "2µs", "2μs", "2us", "10ns"])("accepts the Go duration %s", (connectTimeout) => {
      expect(validateOriginRequest({ connectTimeout }, "rule")).toEqual([]);
    });

    type Case = [string, Record<string, unknown>, string, RegExp, "cloudflared" | "project"];
    it.each<Case>([
      ["an int duration", { connectTimeout: 30 }, "connectTimeout", /^connectTimeout is number 30: cloudflared's YAML decoding refuses anything but a Go duration string/, "cloudflared"],
      ["a duration without unit", { tlsTimeout: "30" }, "tlsTimeout", /cloudflared refuses it \(time: missing unit in duration "30"\)/, "cloudflared"],
      ["an unknown unit", { tcpKeepAlive: "3d" }, "tcpKeepAlive", /time: unknown unit "d" in duration "3d"/, "cloudflared"],
      ["a spaced duration", { keepAliveTimeout: "1 s" }, "keepAliveTimeout", /time: unknown unit " s"/, "cloudflared"],
      ["an empty duration", { connectTimeout: "" }, "connectTimeout", /time: invalid duration ""/, "cloudflared"],
      ["a negative duration", { connectTimeout: "-5s" }, "connectTimeout", /^\(project rule\) connectTimeout "-5s" is negative/, "project"],
      ["a quoted boolean", { noTLSVerify: "true" }, "noTLSVerify", /^noTLSVerify is the string "true": cloudflared's YAML decoding needs true or false/, "cloudflared"],
      ["a yes/no boolean", { noTLSVerify: "yes" }, "noTLSVerify", /^\(project rule\) noTLSVerify is the string "yes": write true or false/, "project"],
      ["an int boolean", { http2Origin: 1 }, "http2Origin", /needs true or false/, "cloudflared"],
      ["a quoted int", { keepAliveConnections: "100" }, "keepAliveConnections", /needs a whole number/, "cloudflared"],
      ["a float int", { keepAliveConnections: 1.5 }, "keepAliveConnections", /^\(project rule\) keepAliveConnections is 1\.5: it must be a whole number \(cloudflared would truncate it\)/, "project"],
      ["a negative proxyPort", { proxyPort: -1 }, "proxyPort", /refuses a negative port/, "cloudflared"],
      ["a proxyPort over 65535", { proxyPort: 70000 }, "proxyPort", /^\(project rule\) proxyPort is 70000: it must be from 0 to 65535/, "project"],
      ["a non-string string", { httpHostHeader: 5 }, "httpHostHeader", /^\(project rule\) httpHostHeader is number 5: write it as a string/, "project"],
      ["a list for a string", { caPool: ["a"] }, "caPool", /needs a string/, "cloudflared"],
      ["an unknown proxyType", { proxyType: "socks5" }, "proxyType", /^\(project rule\) proxyType "socks5" has no effect/, "project"],
      ["an unknown key", { connecttimeout: "30s" }, "connecttimeout", /^\(project rule\) unknown originRequest key "connecttimeout" \(did you mean connectTimeout\?\): cloudflared only warns about unknown keys and ignores them/, "project"],
      ["access with audTag but no teamName", { access: { required: true, audTag: ["a"] } }, "access.teamName", /^access\.required with audTag but no teamName: cloudflared refuses it/, "cloudflared"],
      ["an unknown access key", { access: { required: true, team: "x" } }, "access.team", /^\(project rule\) access has an unknown key "team"/, "project"],
      ["an unknown access environment", { access: { environment: "gov" } }, "access.environment", /^\(project rule\) access\.environment is "gov"/, "project"],
      ["an ipRules entry without prefix", { ipRules: [{ ports: [22] }] }, "ipRules[0].prefix", /^\(project rule\) ipRules\[0\] has no prefix .*cloudflared would silently drop this entry/, "project"],
      ["a bad CIDR", { ipRules: [{ prefix: "1.1.1.0/33" }] }, "ipRules[0].prefix", /is not a CIDR .*unable to parse cidr: 1\.1\.1\.0\/33/, "project"],
      ["a port 0", { ipRules: [{ prefix: "10.0.0.0/8", ports: [0] }] }, "ipRules[0].ports[0]", /invalid port 0, needs to be between 1 and 65535/, "project"],
      ["a non-boolean allow", { ipRules: [{ prefix: "10.0.0.0/8", allow: "yes" }] }, "ipRules[0].allow", /needs true or false/, "cloudflared"],
      ["ipRules not a list", { ipRules: { prefix: "10.0.0.0/8" } }, "ipRules", /needs a list/, "cloudflared"],
    ])("refuses %s", (_what, settings, field, message, source) => {
      expect(validateOriginRequest(settings as OriginRequest, "rule")).toEqual([{ field, message: expect.stringMatching(message), source }]);
    });

    it("checks access the way cloudflared does, only on rules", () => {
      expect(validateOriginRequest({ access: { required: true } }, "rule")).toEqual([]);
      expect(validateOriginRequest({ access: { required: false, audTag: ["a"] } }, "rule")).toEqual([]);
      expect(validateOriginRequest({ access: { required: true, audTag: [] } }, "rule")).toEqual([]);
      expect(validateOriginRequest({ access: { required: true, teamName: "t", audTag: ["a"] } }, "rule")).toEqual([]);
      // At top level cloudflared neither checks nor enforces access: a project rule refuses it.
      expect(validateOriginRequest({ access: { required: true, teamName: "t", audTag: ["a"] } }, "global")).toEqual([
        { field: "access", message: expect.stringMatching(/^\(project rule\) a top-level originRequest\.access is neither checked nor enforced by cloudflared/), source: "project" },
      ]);
    });

    it("reports rule settings under originRequest.<key> of the rule", () => {
      expect(validateIngress([{ hostname: "a.example.com", service: "http://h", originRequest: { connectTimeout: 30 } as unknown as OriginRequest }, CATCH_ALL], ZONE)).toEqual([
        { index: 0, field: "originRequest.connectTimeout", message: expect.stringContaining("cloudflared"), source: "cloudflared" },
      ]);
    });

    it("checks a socks-proxy rule's own ipRules as cloudflared does", () => {
      const socks = (ipRules: unknown) => validateIngress([{ hostname: "socks.example.com", service: "socks-proxy", originRequest: { ipRules } as OriginRequest }, CATCH_ALL], ZONE);
      expect(socks([{ prefix: "10.0.0.0/8", ports: [1080], allow: true }])).toEqual([]);
      for (const [ipRules, field, message] of [
        [[{ prefix: "1.1.1.0/33" }], "originRequest.ipRules[0].prefix", /unable to parse cidr: 1\.1\.1\.0\/33\): cloudflared refuses it for a socks-proxy rule/],
        [[{ prefix: "10.0.0.0/8", ports: [0] }], "originRequest.ipRules[0].ports[0]", /invalid port 0/],
        [[{ ports: [22] }], "originRequest.ipRules[0].prefix", /no prefix provided/],
        [[{ prefix: "010.0.0.0/8" }], "originRequest.ipRules[0].prefix", /unable to parse cidr/],
        [[{ prefix: "fe80::1%eth0/64" }], "originRequest.ipRules[0].prefix", /unable to parse cidr/],
      ] as const) {
        expect(socks(ipRules)).toEqual([{ index: 0, field, message: expect.stringMatching(message), source: "cloudflared" }]);
      }
    });

    it("lists what Terraform 5.x cannot express in remote mode", () => {
      expect(remoteModeUnsupported(FULL)).toEqual(["bastionMode", "proxyAddress", "proxyPort", "ipRules", "access.environment"]);
      expect(remoteModeUnsupported({ connectTimeout: "5s", access: { required: true, teamName: "t", audTag: ["a"] } })).toEqual([]);
      expect(remoteModeUnsupported({ access: { required: true } })).toEqual(["access"]);
    });

    it("maps settings to the provider 5.x origin_request block", () => {
      expect(originRequestToTerraform(FULL)).toEqual({
        connect_timeout: 30,
        tls_timeout: 90,
        tcp_keep_alive: 5400,
        no_happy_eyeballs: false,
        keep_alive_connections: 100,
        keep_alive_timeout: 90,
        http_host_header: "internal.example.com",
        origin_server_name: "internal.example.com",
        match_sn_ito_host: true,
        ca_pool: "/etc/ssl/origin-ca.pem",
        no_tls_verify: false,
        disable_chunked_encoding: true,
        proxy_type: "socks",
        http2_origin: true,
        access: { aud_tag: ["aud1"], team_name: "team", required: true },
      });
      expect(originRequestToTerraform({ connectTimeout: "1500ms", tlsTimeout: "0", keepAliveTimeout: "1ns" })).toEqual({ connect_timeout: 2, tls_timeout: 0, keep_alive_timeout: 1 });
      expect(durationSeconds("1m30s")).toBe(90);
      expect(durationSeconds("-1.5s")).toBe(-1);
    });
  });

  it("every problem says whose rule it is", () => {
    const rules: IngressRule[] = [
      { hostname: "SSH.other.com:22", service: "http://h/" },
      { hostname: "Upper.example.com", path: "(?=x)", service: "x", originRequest: { bogus: 1, connectTimeout: 5 } as unknown as OriginRequest },
      { hostname: "upper.example.com", service: "http_status:1" },
    ];
    const problems = validateIngress(rules, ZONE);
    expect(problems.map((p) => p.source)).toEqual(expect.arrayContaining(["cloudflared", "project"]));
    for (const p of problems) {
      if (p.source === "project") expect(p.message).toMatch(/^\(project rule\) /);
      else expect(p.message).toMatch(/^(?!\(project rule\)).*cloudflared/);
      expect(p.message).not.toContain("\n");
    }
  });

  describe("renderConfigYaml", () => {
    const TUNNEL = "6ff42ae2-765d-4adf-8112-31c55c1551ef";

    it("renders seed 000's config.yml for a locally managed tunnel", () => {
      expect(renderConfigYaml(TUNNEL, SEED_000)).toBe(
        [
          `tunnel: ${TUNNEL}`,
          `credentials-file: /etc/cloudflared/${TUNNEL}.json`,
          "ingress:",
          "  - hostname: ssh.example.com",
          "    service: ssh://localhost:22",
          "  - service: http_status:404",
          "",
        ].join("\n"),
      );
    });

    it("round-trips wildcards, regex paths and originRequest settings", () => {
      const global: OriginRequest = { connectTimeout: "10s", noTLSVerify: false, proxyType: "on", originServerName: "0x1F" };
      const rules: IngressRule[] = [
        { hostname: "*.example.com", path: "^/api/.*$", service: "http://localhost:8080", originRequest: { tlsTimeout: "1m30s", httpHostHeader: "yes", access: { required: true, teamName: "t", audTag: ["a", "b"] } } },
        { hostname: "ssh.example.com", path: "#[x]: {y} & *z | 'q' \"r\"", service: "ssh://localhost:22", originRequest: { ipRules: [{ prefix: "10.0.0.0/8", ports: [22], allow: true }] } },
        { hostname: "*", service: "http_status:404" },
      ];
      const text = renderConfigYaml(TUNNEL, rules, global);
      expect(text).toContain('hostname: "*.example.com"');
      expect(parse(text, { version: "1.1" })).toEqual({ tunnel: TUNNEL, "credentials-file": `/etc/cloudflared/${TUNNEL}.json`, originRequest: global, ingress: rules });
      expect(parse(text)).toEqual({ tunnel: TUNNEL, "credentials-file": `/etc/cloudflared/${TUNNEL}.json`, originRequest: global, ingress: rules });
    });

    it("round-trips any valid rule list", () => {
      fc.assert(
        fc.property(validRules, (rules) => {
          const parsed = parse(renderConfigYaml(TUNNEL, rules), { version: "1.1" }) as { ingress: IngressRule[] };
          expect(parsed.ingress).toEqual(rules.map((r) => ({ ...(r.hostname ? { hostname: r.hostname } : {}), service: r.service })));
        }),
        { numRuns: 100 },
      );
    });
  });
});

describe("Go emulations", () => {
  it("url.Parse keeps Go's path, host and scheme", () => {
    expect(goParseURL("HTTP://h:80/")).toMatchObject({ scheme: "http", host: "h:80", path: "/" });
    expect(goParseURL("http://h:80?x=1")).toMatchObject({ path: "", rawQuery: "x=1" });
    expect(goParseURL("localhost:8000")).toMatchObject({ scheme: "localhost", opaque: "8000", host: "" });
    expect(goParseURL("http:///x")).toMatchObject({ host: "", path: "/x" });
    expect(goParseURL("http://[fe80::1%25en0]:8080")).toMatchObject({ host: "[fe80::1%en0]:8080" });
    expect(() => goParseURL("http://h%41")).toThrow('invalid URL escape "%41"');
    expect(goParseURL("http://h%C3%A9")).toMatchObject({ host: "hé" });
  });
  it("SplitHostPort", () => {
    expect(goSplitHostPort("a.com:443")).toEqual(["a.com", "443"]);
    expect(goSplitHostPort("[::1]:")).toEqual(["::1", ""]);
    for (const bad of ["::1", "a:b:c", "[::1]", "a.com", "[::1]x:1", ""]) expect(() => goSplitHostPort(bad)).toThrow();
  });
  it("ParseCIDR", () => {
    for (const ok of ["10.0.0.0/8", "0.0.0.0/0", "::/0", "2001:db8::/32", "::ffff:1.2.3.4/120", "10.0.0.0/08"]) expect(() => goParseCIDR(ok)).not.toThrow();
    for (const bad of ["10.0.0.0", "10.0.0.0/33", "::/129", "1.2.3/8", "1.2.3.04/8", "10.0.0.0/", "10.0.0.0/-1", "fe80::1%eth0/64", "::1::/64"]) expect(() => goParseCIDR(bad)).toThrow();
  });
  it("ParseDuration", () => {
    expect(goParseDuration("1h2m3.5s")).toBe(3_723_500_000_000n);
    expect(goParseDuration("-1.5s")).toBe(-1_500_000_000n);
    expect(goParseDuration("9223372036854775807ns")).toBe(9223372036854775807n);
    for (const bad of ["", "1", "s", ".s", "1.5", "9223372036854775808ns", "1e3s", "+", "1h 2m"]) expect(() => goParseDuration(bad)).toThrow();
  });
});

// ---------------------------------------------------------------- properties

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$|^[a-z]$/);
const host = fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => `${labels.join(".")}.${ZONE}`);
const port = fc.integer({ min: 1, max: 65535 });
const service = fc.oneof(
  fc.tuple(fc.constantFrom("http", "https", "ws", "wss", "ssh", "rdp", "smb", "tcp", "ftp", "postgres"), fc.constantFrom("localhost", "127.0.0.1", "[::1]", "app.internal"), fc.option(port)).map(
    ([scheme, h, p]) => `${scheme}://${h}${p === null ? "" : `:${p}`}`,
  ),
  fc.integer({ min: 100, max: 999 }).map((code) => `http_status:${code}`),
  fc.constantFrom("hello_world", "hello-world", "bastion", "unix:/run/app.sock", "unix+tls:/run/app.sock"),
);
const validRules = fc
  .uniqueArray(host, { maxLength: 6 })
  .chain((hosts) => fc.tuple(...hosts.map((h) => service.map((s): IngressRule => ({ hostname: h, service: s }))), service.map((s): IngressRule => ({ service: s }))));

describe("ingress validation properties", () => {
  it("any list of distinct in-zone hostnames with valid services and a final catch-all is accepted", () => {
    fc.assert(fc.property(validRules, (list) => expect(validateIngress(list, ZONE)).toEqual([])), { numRuns: 300 });
  });

  it("moving the catch-all anywhere but last is always refused by cloudflared", () => {
    fc.assert(
      fc.property(
        validRules.filter((list) => list.length > 1),
        fc.nat(),
        (list, seed) => {
          const copy = [...list];
          const [catchAll] = copy.splice(copy.length - 1, 1);
          copy.splice(seed % copy.length, 0, catchAll);
          expect(cloudflaredOnly(validateIngress(copy, ZONE)).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a trailing slash on any URL service is refused by cloudflared", () => {
    fc.assert(
      fc.property(service.filter((s) => s.includes("://")), (s) => {
        expect(validateIngress([{ service: `${s}/` }], ZONE)).toEqual([{ index: 0, field: "service", message: expect.stringContaining('has a path ("/")'), source: "cloudflared" }]);
      }),
      { numRuns: 200 },
    );
  });

  it("adding a port to any hostname is always refused by cloudflared", () => {
    fc.assert(
      fc.property(host, fc.option(port), (h, p) => {
        expect(validateIngress(first({ hostname: `${h}:${p ?? ""}`, service: "http://h" }), ZONE)).toEqual([
          { index: 0, field: "hostname", message: expect.stringContaining("cloudflared refuses hostnames with a port"), source: "cloudflared" },
        ]);
      }),
      { numRuns: 100 },
    );
  });

  it("never throws, and labels every problem with its source, for arbitrary input", () => {
    const anyRule = fc.record(
      { hostname: fc.oneof(fc.string(), host), path: fc.string(), service: fc.oneof(fc.string(), service) },
      { requiredKeys: ["service"] },
    );
    fc.assert(
      fc.property(fc.array(anyRule, { maxLength: 5 }), (rules) => {
        for (const p of validateIngress(rules, ZONE)) {
          expect(p.source === "project" ? /^\(project rule\) /.test(p.message) : /cloudflared/.test(p.message) && !p.message.startsWith("(project rule)")).toBe(true);
          expect(p.index).toBeGreaterThanOrEqual(0);
          expect(p.index).toBeLessThan(Math.max(rules.length, 1));
        }
      }),
      { numRuns: 300 },
    );
  });
});
