import fc from "fast-check";
import { IngressRule, SERVICE_SCHEMES, hostnameProblem, renderConfigYaml, serviceProblem, validateIngress } from "../src/cloudflare/ingress";

const ZONE = "example.com";
const SEED_000: IngressRule[] = [{ hostname: "ssh.example.com", service: "ssh://localhost:22" }, { service: "http_status:404" }];
const messages = (rules: IngressRule[]) => validateIngress(rules, ZONE).map((p) => `${p.index}.${p.field}: ${p.message}`);

describe("cloudflared ingress validation", () => {
  it("accepts seed 000's rules", () => {
    expect(validateIngress(SEED_000, ZONE)).toEqual([]);
  });

  it("wants a catch-all last, and only last", () => {
    expect(messages([{ hostname: "ssh.example.com", service: "ssh://localhost:22" }])).toEqual([
      expect.stringMatching(/^0\.hostname: the last rule must be the catch-all/),
    ]);
    expect(messages([{ service: "http_status:404" }, ...SEED_000])).toEqual([expect.stringMatching(/^0\.hostname: is a catch-all .* not the last rule/)]);
    expect(messages([{ hostname: "*", service: "http_status:404" }])).toEqual([]);
    expect(messages([{ path: "^/api", service: "http://localhost:8080" }])).toEqual([expect.stringMatching(/^0\.path: the last rule must be the catch-all/)]);
  });

  it.each([
    ["ssh.example.com:22", "must not carry a port"],
    ["SSH.example.com", "must be lowercase"],
    ["*.*.example.com", "at most one wildcard"],
    ["ssh.*.example.com", "only as its leftmost label"],
    ["ssh.other.org", "is not in the zone example.com"],
    ["-bad.example.com", "is not a valid host name"],
    ["example", "is not a valid host name"],
  ])("rejects hostname %s", (hostname, message) => {
    expect(hostnameProblem(hostname, ZONE)).toContain(message);
  });

  it("accepts the zone apex, subdomains and a leading wildcard", () => {
    for (const hostname of ["example.com", "ssh.example.com", "a.b.example.com", "*.example.com"]) expect(hostnameProblem(hostname, ZONE)).toBeUndefined();
  });

  it.each([
    ["ssh://localhost:22", undefined],
    ["http://localhost:8080", undefined],
    ["https://10.0.0.5", undefined],
    ["tcp://localhost:5432", undefined],
    ["rdp://localhost:3389", undefined],
    ["unix:/run/app.sock", undefined],
    ["hello_world", undefined],
    ["http_status:404", undefined],
    ["http_status:99", "status code from 100 to 999"],
    ["http_status:1000", "status code from 100 to 999"],
    ["ftp://localhost:21", "uses scheme ftp"],
    ["localhost:22", "uses scheme localhost"],
    ["http://localhost:8080/app", "must not have a path"],
    ["http://", "is not a valid URL"],
    ["ssh", "must be a URL with a scheme"],
  ])("service %s → %s", (service, problem) => {
    const found = serviceProblem(service);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it("rejects duplicate hostname/path pairs", () => {
    const rules = [SEED_000[0], { ...SEED_000[0], service: "ssh://localhost:2222" }, SEED_000[1]];
    expect(messages(rules)).toEqual([expect.stringMatching(/^1\.hostname: repeats the hostname\/path of ingress\[0\]/)]);
  });

  it("renders seed 000's config.yml for a locally managed tunnel", () => {
    expect(renderConfigYaml("6ff42ae2-765d-4adf-8112-31c55c1551ef", SEED_000)).toBe(
      [
        "tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef",
        "credentials-file: /etc/cloudflared/6ff42ae2-765d-4adf-8112-31c55c1551ef.json",
        "ingress:",
        "  - hostname: ssh.example.com",
        "    service: ssh://localhost:22",
        "  - service: http_status:404",
        "",
      ].join("\n"),
    );
  });
});

describe("ingress validation properties", () => {
  const label = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/);
  const host = fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => `${labels.join(".")}.${ZONE}`);
  const service = fc.oneof(
    fc.integer({ min: 1, max: 65535 }).map((port) => `ssh://localhost:${port}`),
    fc.constantFrom(...SERVICE_SCHEMES.filter((s) => !s.startsWith("unix"))).map((scheme) => `${scheme}://localhost:8080`),
    fc.integer({ min: 100, max: 999 }).map((code) => `http_status:${code}`),
  );
  const rules = fc.uniqueArray(host, { maxLength: 6 }).chain((hosts) =>
    fc.tuple(...hosts.map((h) => service.map((s) => ({ hostname: h, service: s }))), service.map((s) => ({ service: s }))),
  );

  it("any list of distinct in-zone hostnames with valid services and a final catch-all is accepted", () => {
    fc.assert(fc.property(rules, (list) => expect(validateIngress(list as IngressRule[], ZONE)).toEqual([])), { numRuns: 200 });
  });

  it("moving the catch-all anywhere but last is always rejected", () => {
    fc.assert(
      fc.property(rules.filter((list) => list.length > 1), fc.nat(), (list, seed) => {
        const copy = [...list] as IngressRule[];
        const [catchAll] = copy.splice(copy.length - 1, 1);
        copy.splice(seed % copy.length, 0, catchAll);
        expect(validateIngress(copy, ZONE).length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it("adding a port to any hostname is always rejected", () => {
    fc.assert(
      fc.property(host, fc.integer({ min: 1, max: 65535 }), (h, port) => expect(hostnameProblem(`${h}:${port}`, ZONE)).toContain("must not carry a port")),
      { numRuns: 100 },
    );
  });
});
