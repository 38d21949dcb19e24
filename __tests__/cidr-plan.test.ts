import { CidrPlanError, PlanRequest, planNetwork, prefixForHosts, usableAddresses } from "../modules/network/cidr/plan";

const AZS = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"];

const SEED_002: PlanRequest = {
  vpcCidr: "172.16.0.0/16",
  availabilityZones: AZS,
  subnets: [
    { tier: "public", az: "ap-northeast-2a", cidr: "172.16.1.0/24" },
    { tier: "public", az: "ap-northeast-2b", cidr: "172.16.2.0/24" },
    { tier: "app", az: "ap-northeast-2a", cidr: "172.16.32.0/20" },
    { tier: "app", az: "ap-northeast-2b", cidr: "172.16.48.0/20" },
    { tier: "data", az: "ap-northeast-2a", cidr: "172.16.128.0/20" },
    { tier: "data", az: "ap-northeast-2b", cidr: "172.16.144.0/20" },
    { tier: "data", az: "ap-northeast-2c", cidr: "172.16.160.0/20" },
  ],
};

function planError(request: PlanRequest): CidrPlanError {
  try {
    planNetwork(request);
  } catch (error) {
    if (error instanceof CidrPlanError) return error;
    throw error;
  }
  throw new Error("expected the plan to be rejected");
}

describe("usable addresses", () => {
  it("subtracts the five addresses AWS reserves in every subnet", () => {
    expect(usableAddresses(24)).toBe(251);
    expect(usableAddresses(20)).toBe(4091);
    expect(usableAddresses(28)).toBe(11);
    expect(usableAddresses(16)).toBe(65531);
  });

  it("picks the smallest subnet that holds the hosts asked for", () => {
    expect(prefixForHosts(251)).toBe(24);
    expect(prefixForHosts(252)).toBe(23);
    expect(prefixForHosts(4000)).toBe(20);
    expect(prefixForHosts(1)).toBe(28);
    expect(prefixForHosts(65532)).toBeUndefined();
  });
});

describe("explicit subnets", () => {
  it("reproduces seed 002's tally: 251 per /24, 4,091 per /20, 20,957 usable", () => {
    const plan = planNetwork(SEED_002);
    expect(plan.vpcSize).toBe(65536);
    expect(plan.subnets.map((s) => [s.key, s.cidr, s.usable])).toEqual([
      ["public-a", "172.16.1.0/24", 251],
      ["public-b", "172.16.2.0/24", 251],
      ["app-a", "172.16.32.0/20", 4091],
      ["app-b", "172.16.48.0/20", 4091],
      ["data-a", "172.16.128.0/20", 4091],
      ["data-b", "172.16.144.0/20", 4091],
      ["data-c", "172.16.160.0/20", 4091],
    ]);
    expect(plan.usable).toBe(20957);
    expect(plan.allocated).toBe(20992);
    expect(plan.unallocated).toBe(44544);
  });

  it.each([
    ["a malformed CIDR", { cidr: "172.16.300.0/24" }, "PA-CIDR-SYNTAX", "subnets[0].cidr", /172\.16\.300\.0\/24 is not a valid IPv4 CIDR/],
    ["host bits set", { cidr: "172.16.1.7/24" }, "PA-CIDR-SYNTAX", "subnets[0].cidr", /host bits set \(did you mean 172\.16\.1\.0\/24\?\)/],
    ["a subnet outside the VPC", { cidr: "10.0.1.0/24" }, "PA-CIDR-OUTSIDE-VPC", "subnets[0].cidr", /not inside the VPC range 172\.16\.0\.0\/16/],
    ["a subnet larger than /16", { cidr: "172.16.0.0/15" }, "PA-CIDR-SUBNET-SIZE", "subnets[0].cidr", /between \/16 and \/28/],
    ["a subnet smaller than /28", { cidr: "172.16.1.0/29" }, "PA-CIDR-SUBNET-SIZE", "subnets[0].cidr", /between \/16 and \/28/],
    ["an unknown AZ", { az: "ap-northeast-2d" }, "PA-CIDR-AZ", "subnets[0].az", /not one of network.availabilityZones/],
  ])("rejects %s", (_what, change, code, field, message) => {
    const subnets = SEED_002.subnets!.map((s, i) => (i === 0 ? { ...s, ...change } : s));
    const error = planError({ ...SEED_002, subnets });
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it("rejects overlapping subnets, naming both", () => {
    const subnets = [...SEED_002.subnets!, { tier: "data" as const, az: "ap-northeast-2a", cidr: "172.16.40.0/24" }];
    const error = planError({ ...SEED_002, subnets: subnets.map((s, i) => (i === 7 ? { ...s, tier: "public" as const, az: "ap-northeast-2c" } : s)) });
    expect(error.code).toBe("PA-CIDR-OVERLAP");
    expect(error.field).toBe("subnets[7].cidr");
    expect(error.message).toBe("172.16.40.0/24 overlaps network.subnets[2] (172.16.32.0/20)");
  });

  it("rejects two subnets of one tier in one AZ", () => {
    const subnets = [...SEED_002.subnets!, { tier: "app" as const, az: "ap-northeast-2a", cidr: "172.16.64.0/20" }];
    const error = planError({ ...SEED_002, subnets });
    expect(error.code).toBe("PA-CIDR-DUPLICATE");
    expect(error.field).toBe("subnets[7].az");
  });

  it.each([
    ["a public range", "8.8.0.0/16", "PA-CIDR-PUBLIC-RANGE"],
    ["a VPC larger than /16", "10.0.0.0/15", "PA-CIDR-VPC-SIZE"],
    ["the Docker bridge range AWS advises against", "172.17.0.0/16", "PA-CIDR-DOCKER-RANGE"],
    ["nonsense", "banana", "PA-CIDR-SYNTAX"],
  ])("rejects a VPC CIDR of %s", (_what, vpcCidr, code) => {
    const error = planError({ ...SEED_002, vpcCidr, subnets: [] });
    expect(error.code).toBe(code);
    expect(error.field).toBe("cidr");
  });

  it("accepts a public VPC range when allowed explicitly", () => {
    const plan = planNetwork({ vpcCidr: "8.8.0.0/16", availabilityZones: AZS, subnets: [], allowNonPrivateCidr: true });
    expect(plan.subnets).toEqual([]);
  });

  it("accepts the RFC 6598 shared range", () => {
    expect(() => planNetwork({ vpcCidr: "100.64.0.0/16", availabilityZones: AZS, subnets: [] })).not.toThrow();
  });

  it.each([
    [[], "must list at least one AZ"],
    [["ap-northeast-2a", "ap-northeast-2a"], "listed twice"],
    [["northeast"], "is not an availability zone name"],
  ])("rejects availability zones %j", (availabilityZones, message) => {
    expect(planError({ ...SEED_002, availabilityZones, subnets: [] }).message).toMatch(message);
  });

  it("wants exactly one of subnets and tiers", () => {
    expect(planError({ vpcCidr: "10.0.0.0/16", availabilityZones: AZS }).code).toBe("PA-CIDR-MODE");
    expect(planError({ ...SEED_002, tiers: [] }).code).toBe("PA-CIDR-MODE");
  });
});

describe("computed subnets", () => {
  const request: PlanRequest = {
    vpcCidr: "10.20.0.0/16",
    availabilityZones: AZS,
    tiers: [
      { tier: "public", prefixLength: 24 },
      { tier: "app", hosts: 4000 },
      { tier: "data", prefixLength: 22 },
    ],
  };

  it("gives each tier an aligned block with room for four AZs, each AZ at the slot of its letter", () => {
    const plan = planNetwork(request);
    expect(plan.reservedBlocks).toEqual([
      { tier: "public", cidr: "10.20.0.0/22", size: 1024 },
      { tier: "app", cidr: "10.20.64.0/18", size: 16384 },
      { tier: "data", cidr: "10.20.16.0/20", size: 4096 },
    ]);
    expect(plan.subnets.map((s) => `${s.key} ${s.cidr}`)).toEqual([
      "public-a 10.20.0.0/24",
      "public-b 10.20.1.0/24",
      "public-c 10.20.2.0/24",
      "data-a 10.20.16.0/22",
      "data-b 10.20.20.0/22",
      "data-c 10.20.24.0/22",
      "app-a 10.20.64.0/20",
      "app-b 10.20.80.0/20",
      "app-c 10.20.96.0/20",
    ]);
  });

  it("puts a tier only in the AZs it names", () => {
    const plan = planNetwork({ ...request, tiers: [{ tier: "public", prefixLength: 24, availabilityZones: ["ap-northeast-2b"] }] });
    expect(plan.subnets.map((s) => `${s.key} ${s.cidr}`)).toEqual(["public-b 10.20.1.0/24"]);
  });

  it("says how much room is left when a tier does not fit", () => {
    const error = planError({ ...request, tiers: [{ tier: "app", prefixLength: 18 }, { tier: "data", prefixLength: 17 }] });
    expect(error.code).toBe("PA-CIDR-NO-ROOM");
    expect(error.field).toBe("tiers[1]");
    expect(error.message).toMatch(/need a \/15, larger than the VPC/);
    const full = planError({
      ...request,
      tiers: [{ tier: "app", prefixLength: 19 }, { tier: "data", prefixLength: 19 }, { tier: "public", prefixLength: 24 }],
    });
    expect(full.field).toBe("tiers[2]");
    expect(full.message).toMatch(/no such block free \(0 addresses remain\)/);
  });

  it.each([
    [{ azSlots: 3 }, "azSlots", /must be 1, 2, 4 or 8/],
    [{ availabilityZones: ["ap-northeast-2e"], tiers: [{ tier: "app" as const, prefixLength: 24 }] }, "availabilityZones[0]", /needs AZ slot 4 but network.azSlots is 4/],
    [{ tiers: [{ tier: "app" as const }] }, "tiers[0]", /exactly one of prefixLength and hosts/],
    [{ tiers: [{ tier: "app" as const, prefixLength: 29 }] }, "tiers[0].prefixLength", /from 16 to 28/],
    [{ tiers: [{ tier: "app" as const, hosts: 70000 }] }, "tiers[0].hosts", /from 1 to 65531/],
    [{ tiers: [{ tier: "app" as const, hosts: 10 }, { tier: "app" as const, hosts: 10 }] }, "tiers[1].tier", /already network.tiers\[0\]/],
    [{ tiers: [{ tier: "app" as const, hosts: 10, availabilityZones: ["us-east-1a"] }] }, "tiers[0].availabilityZones[0]", /not one of/],
  ])("rejects %j", (change, field, message) => {
    const error = planError({ ...request, ...change });
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});
