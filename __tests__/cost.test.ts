import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_ASSUMPTIONS } from "../src/cost/assumptions";
import { CostEstimate, costLine, estimateMonthlyCost } from "../src/cost/estimate";
import { GLOBAL_PRICES, PRICES_TAKEN, Price, REGION_PRICES, regionPrices } from "../src/cost/prices";
import { writeReviewPage } from "../src/report/review-page";
import { exampleWith } from "./helpers/environment";
import { synthAws } from "./helpers/synth";

function estimateOf(edit: (doc: Record<string, any>) => void = () => {}): CostEstimate {
  const env = exampleWith(edit);
  return estimateMonthlyCost(env.name, [{ name: `${env.name}-aws`, json: synthAws(env).tf }]);
}

const group = (estimate: CostEstimate, name: string) => estimate.groups.find((g) => g.name === name);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const HOURS = DEFAULT_ASSUMPTIONS.hoursPerMonth;
const SEOUL = REGION_PRICES["ap-northeast-2"];

const example = estimateOf();

describe("price table", () => {
  const regional = Object.entries(REGION_PRICES).flatMap(([region, prices]) =>
    Object.entries(prices).flatMap(([key, value]): [string, Price][] => {
      if (key === "name") return [];
      if ("usd" in value) return [[`${region} ${key}`, value as Price]];
      return Object.entries(value as Record<string, Price | Record<string, Price>>).flatMap(([k, v]): [string, Price][] =>
        "usd" in v ? [[`${region} ${key} ${k}`, v as Price]] : Object.entries(v as Record<string, Price>).map(([kk, vv]): [string, Price] => [`${region} ${key} ${k} ${kk}`, vv]),
      );
    }),
  );
  const all: [string, Price][] = [...Object.entries(GLOBAL_PRICES), ...regional];

  it("gives every price an AWS page as its source, a unit and a confirmation, and says when it was taken", () => {
    expect(PRICES_TAKEN).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(all.length).toBeGreaterThan(40);
    for (const [name, price] of all) {
      expect({ name, source: price.source }).toEqual({ name, source: expect.stringMatching(/^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com)\//) });
      expect(price.usd).toBeGreaterThanOrEqual(0);
      expect(price.unit).not.toBe("");
      expect(["aws page", "third-party page", "unconfirmed"]).toContain(price.confirmation);
      // A third-party confirmation names the page it was read on.
      if (price.confirmation === "third-party page" && !/^(natGatewayGb|interfaceEndpointGb|wafRuleMonth|wafMillionRequests)$/.test(name.split(" ").pop()!)) {
        expect({ name, note: price.note }).toEqual({ name, note: expect.stringMatching(/https:\/\//) });
      }
    }
  });

  it("prices the example's and the tests' instance types, classes and node types in both regions", () => {
    for (const region of ["ap-northeast-2", "us-east-1"]) {
      const prices = regionPrices(region)!;
      for (const type of ["c6g.xlarge", "t4g.micro"]) expect(prices.ec2Hour[type]).toBeDefined();
      expect(prices.rdsHour.postgres["db.t4g.medium"]).toBeDefined();
      expect(prices.rdsHour.postgres["db.t4g.micro"]).toBeDefined();
      expect(prices.elastiCacheNodeHour["cache.t4g.small"]).toBeDefined();
    }
  });

  it("keeps no prices for a region it was not given, rather than borrowing another's", () => {
    expect(regionPrices("eu-west-3")).toBeUndefined();
    expect(regionPrices("toString")).toBeUndefined();
  });
});

describe("the example's estimate", () => {
  it("is in ap-northeast-2, and its total is the sum of its line items and of its parts", () => {
    expect(example.region).toBe("ap-northeast-2");
    expect(example.missing).toBeUndefined();
    expect(example.unpriced).toEqual([]);
    expect(example.total).toBeGreaterThan(500);
    expect(example.total).toBeCloseTo(sum(example.items.map((item) => item.monthly ?? 0)), 9);
    expect(example.total).toBeCloseTo(sum(example.groups.map((g) => g.monthly)), 9);
    for (const item of example.items) expect(item.monthly).toBeCloseTo(item.quantity * item.price!.usd, 9);
  });

  it("attributes line items to each access path and to the shared infrastructure", () => {
    expect(example.groups.map((g) => `${g.kind}: ${g.name}`)).toEqual([
      "access path: web: CloudFront + WAF",
      "access path: Client VPN",
      "access path: bastion",
      "access path: EC2 Instance Connect Endpoint",
      "access path: Session Manager",
      "shared: network (NAT, addresses, flow logs)",
      "shared: web tier (ALB, app servers)",
      "shared: data tier (RDS, ElastiCache)",
    ]);
    const of = (name: string) => example.items.filter((item) => item.group.name === name).map((item) => item.what);
    expect(of("network (NAT, addresses, flow logs)")).toEqual(expect.arrayContaining(["NAT gateway", "NAT data processed", "Elastic IP (public IPv4)"]));
    expect(of("web tier (ALB, app servers)")).toEqual(expect.arrayContaining(["EC2 c6g.xlarge × 2", "Application Load Balancer", "ALB capacity units"]));
    expect(of("data tier (RDS, ElastiCache)")).toEqual(expect.arrayContaining(["RDS postgres db.t4g.medium Multi-AZ", "ElastiCache cache.t4g.small × 2"]));
    expect(of("web: CloudFront + WAF")).toEqual(expect.arrayContaining(["WAF web ACL", "WAF rules × 4", "WAF requests"]));
    expect(of("bastion")).toEqual(["EC2 t4g.micro × 1", "EBS gp3 8 GB × 1", "public IPv4 × 1"]);
  });

  it("shows Session Manager and the EC2 Instance Connect Endpoint as free", () => {
    const free = example.items.filter((item) => /\(free\)$/.test(item.what));
    expect(free.map((item) => [item.group.name, item.what, item.monthly])).toEqual(expect.arrayContaining([
      ["EC2 Instance Connect Endpoint", "EC2 Instance Connect Endpoint (free)", 0],
      ["Session Manager", "Session Manager sessions (free)", 0],
    ]));
    expect(group(example, "EC2 Instance Connect Endpoint")!.monthly).toBe(0);
    // Session Manager's own cost is its KMS keys (sessions and logs).
    expect(group(example, "Session Manager")!.monthly).toBe(example.items.filter((i) => i.group.name === "Session Manager" && i.what === "KMS customer managed key").length);
  });

  it("prices the instances by desired capacity × the launch template's type, and Multi-AZ RDS twice", () => {
    const servers = example.items.find((item) => item.what === "EC2 c6g.xlarge × 2")!;
    expect(servers.quantity).toBe(2 * HOURS);
    expect(servers.monthly).toBeCloseTo(2 * HOURS * SEOUL.ec2Hour["c6g.xlarge"].usd, 9);
    const db = example.items.find((item) => item.what.startsWith("RDS postgres"))!;
    const single = estimateOf((doc) => (doc.dataTier.database.multiAz = false)).items.find((item) => item.what.startsWith("RDS postgres"))!;
    expect(single.what).toBe("RDS postgres db.t4g.medium Single-AZ");
    expect(db.monthly).toBeCloseTo(2 * single.monthly!, 9);
  });

  it("prints one line with the total, the region and the assumptions", () => {
    expect(costLine(example)).toMatch(/^example: about \$[\d,]+\/month \(ap-northeast-2 on-demand, assumptions: 730 hours a month, 100 GB through NAT, 5 Client VPN users × 176 h = 880 connection-hours, 1 ALB LCU on average, 1M WAF requests, 10 GB per interface endpoint; \d+ of \d+ line items at unconfirmed prices, see src\/cost\/prices\.ts\)$/);
    expect(costLine(example)).toContain(`$${Math.round(example.total).toLocaleString("en-US")}/month`);
  });
});

describe("adding a feature adds its cost", () => {
  it("the bastion: an instance, its volume and its public IPv4", () => {
    const off = estimateOf((doc) => (doc.access.bastion.enabled = false));
    expect(group(off, "bastion")).toBeUndefined();
    const bastion = group(example, "bastion")!.monthly;
    expect(bastion).toBeCloseTo(HOURS * (SEOUL.ec2Hour["t4g.micro"].usd + SEOUL.publicIpv4Hour.usd) + 8 * SEOUL.ebsGp3GbMonth.usd, 9);
    expect(example.total - off.total).toBeCloseTo(bastion, 6);
  });

  it("Client VPN: an association per data subnet by the hour, the assumed connections and its log key", () => {
    const off = estimateOf((doc) => (doc.access.clientVpn.enabled = false));
    expect(group(off, "Client VPN")).toBeUndefined();
    const vpn = group(example, "Client VPN")!.monthly;
    const connections = DEFAULT_ASSUMPTIONS.clientVpnPeople * DEFAULT_ASSUMPTIONS.clientVpnHoursPerPerson;
    expect(vpn).toBeCloseTo(3 * HOURS * SEOUL.clientVpnAssociationHour.usd + connections * SEOUL.clientVpnConnectionHour.usd + GLOBAL_PRICES.kmsKeyMonth.usd, 9);
    expect(example.total - off.total).toBeCloseTo(vpn, 6);
  });

  it("NAT per AZ instead of single: one more gateway and address by the hour; the same GB", () => {
    const perAz = estimateOf((doc) => (doc.network.natGateways = "per-az"));
    expect(perAz.items.filter((item) => item.what === "NAT gateway")).toHaveLength(2);
    const nat = (e: CostEstimate, what: string) => sum(e.items.filter((item) => item.what === what).map((item) => item.monthly!));
    expect(nat(perAz, "NAT data processed")).toBeCloseTo(nat(example, "NAT data processed"), 9);
    expect(perAz.total - example.total).toBeCloseTo(HOURS * (SEOUL.natGatewayHour.usd + SEOUL.publicIpv4Hour.usd), 6);
  });

  it("no NAT: the gateway, its address and its GB go", () => {
    const none = estimateOf((doc) => {
      doc.network.natGateways = "none";
      doc.cloudflareTunnel.enabled = false; // a remote tunnel needs egress
    });
    expect(none.items.filter((item) => /^NAT|Elastic IP/.test(item.what))).toEqual([]);
  });

  it("Session Manager's interface endpoints: each endpoint by the hour in each app subnet, and its GB", () => {
    const endpoints = estimateOf((doc) => (doc.access.sessionManager.interfaceEndpoints = true));
    const lines = endpoints.items.filter((item) => item.what.startsWith("interface endpoint"));
    expect(lines.length).toBe(10); // ssm, ssmmessages, ec2messages, logs, kms: hours and GB each
    expect(lines.every((item) => item.group.name === "Session Manager")).toBe(true);
    expect(endpoints.total - example.total).toBeCloseTo(5 * (2 * HOURS * SEOUL.interfaceEndpointAzHour.usd + DEFAULT_ASSUMPTIONS.interfaceEndpointGbPerMonth * SEOUL.interfaceEndpointGb.usd), 6);
  });

  it("more app servers: desired capacity × the type", () => {
    const four = estimateOf((doc) => (doc.webTier.servers.desiredCapacity = 4));
    expect(four.total - example.total).toBeCloseTo(2 * (HOURS * SEOUL.ec2Hour["c6g.xlarge"].usd + 30 * SEOUL.ebsGp3GbMonth.usd), 6);
  });
});

describe("what has no price", () => {
  it("a region without prices says so and gives no total", () => {
    const env = exampleWith();
    const tf = JSON.parse(JSON.stringify(synthAws(env).tf));
    for (const provider of tf.provider.aws) if (!provider.alias) provider.region = "eu-west-3";
    const estimate = estimateMonthlyCost("example", [{ name: "example-aws", json: tf }]);
    expect(estimate.missing).toBe("no prices for eu-west-3 in src/cost/prices.ts (prices are kept for ap-northeast-2, us-east-1)");
    expect(estimate.items).toEqual([]);
    expect(costLine(estimate)).toBe("example: no monthly cost estimate: no prices for eu-west-3 in src/cost/prices.ts (prices are kept for ap-northeast-2, us-east-1)");
  });

  it("an instance type missing from the table is listed, and the total is a lower bound", () => {
    const estimate = estimateOf((doc) => (doc.webTier.servers.instanceType = "c7g.2xlarge"));
    expect(estimate.unpriced.map((item) => item.what)).toEqual(["EC2 c7g.2xlarge × 2"]);
    expect(estimate.total).toBeCloseTo(sum(estimate.items.map((item) => item.monthly ?? 0)), 9);
    expect(costLine(estimate)).toMatch(/^example: at least \$[\d,]+\/month \(.*; no price for EC2 c7g\.2xlarge × 2;/);
  });

  it("us-east-1 has its own prices", () => {
    const env = exampleWith();
    const tf = JSON.parse(JSON.stringify(synthAws(env).tf));
    for (const provider of tf.provider.aws) if (!provider.alias) provider.region = "us-east-1";
    const estimate = estimateMonthlyCost("example", [{ name: "example-aws", json: tf }]);
    expect(estimate.regionName).toBe("US East (N. Virginia)");
    expect(estimate.unpriced).toEqual([]);
    expect(estimate.total).toBeLessThan(example.total);
  });
});

describe("review page", () => {
  it("has a Monthly cost section with the table per access path, the line items, the assumptions and the sources", async () => {
    const env = exampleWith();
    const { tf } = synthAws(env);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-cost-page-"));
    await writeReviewPage(env, [{ name: "example-aws", json: tf, annotations: [] }], undefined, dir);
    const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
    expect(html).toContain('<h2 id="monthly-cost">Monthly cost</h2>');
    expect(html).toContain(`<p class="summary" id="cost-total">${costLine(example).replace(/&/g, "&amp;")}</p>`);
    const byPath = /<table id="cost-by-path">[\s\S]*?<\/table>/.exec(html)![0];
    for (const name of ["web: CloudFront + WAF", "Client VPN", "bastion", "EC2 Instance Connect Endpoint", "Session Manager", "network (NAT, addresses, flow logs)"]) {
      expect(byPath).toContain(`<td>${name.replace(/&/g, "&amp;")}</td>`);
    }
    expect(byPath).toContain(`<tr><td>total</td><td></td><td>$${example.total.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}</td></tr>`);
    expect(html).toMatch(/<table id="cost-items">[\s\S]*EC2 Instance Connect Endpoint \(free\)[\s\S]*<\/table>/);
    expect(html).toContain('<ul id="cost-assumptions"><li>730 hours a month</li>');
    expect(html).toContain("<li>https://aws.amazon.com/vpn/pricing/</li>");
    expect(html).toContain(`taken ${PRICES_TAKEN}`);
  });
});
