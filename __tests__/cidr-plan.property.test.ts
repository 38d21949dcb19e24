import fc from "fast-check";
import { blockEnd, mustParse, overlaps } from "../modules/network/cidr/ipv4";
import { CidrPlan, CidrPlanError, PlanRequest, TIERS, TierRequest, planNetwork } from "../modules/network/cidr/plan";

const LETTERS = ["a", "b", "c", "d"];
const az = (letter: string) => `eu-west-1${letter}`;

const vpcArb = fc
  .record({ second: fc.integer({ min: 0, max: 255 }), prefix: fc.integer({ min: 16, max: 20 }) })
  .map(({ second, prefix }) => `10.${second}.0.0/${prefix}`);

const tierArb = (tier: (typeof TIERS)[number]): fc.Arbitrary<TierRequest> =>
  fc.oneof(
    fc.integer({ min: 20, max: 28 }).map((prefixLength) => ({ tier, prefixLength })),
    fc.integer({ min: 1, max: 4000 }).map((hosts) => ({ tier, hosts })),
  );

const tiersArb = fc
  .shuffledSubarray([...TIERS], { minLength: 1 })
  .chain((tiers) => fc.tuple(...tiers.map(tierArb)));

const azsArb = fc.shuffledSubarray(LETTERS, { minLength: 1 }).map((letters) => letters.map(az));

const requestArb: fc.Arbitrary<PlanRequest> = fc.record({
  vpcCidr: vpcArb,
  availabilityZones: azsArb,
  tiers: tiersArb,
  azSlots: fc.constant(4),
});

/** Plans, or returns undefined when the request does not fit (a clean CidrPlanError). */
function tryPlan(request: PlanRequest): CidrPlan | undefined {
  try {
    return planNetwork(request);
  } catch (error) {
    if (error instanceof CidrPlanError) return undefined;
    throw error;
  }
}

const byKey = (plan: CidrPlan) => new Map(plan.subnets.map((s) => [s.key, s.cidr]));

describe("CIDR planner properties (computed subnets)", () => {
  it("never overlaps, stays inside the VPC, aligns every block, and adds up", () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const plan = tryPlan(request);
        if (!plan) return;
        const vpc = mustParse(plan.vpcCidr);
        const blocks = plan.subnets.map((s) => mustParse(s.cidr));
        blocks.forEach((block, i) => {
          expect(block.base).toBeGreaterThanOrEqual(vpc.base);
          expect(blockEnd(block)).toBeLessThanOrEqual(blockEnd(vpc));
          expect(block.base % 2 ** (32 - block.prefixLength)).toBe(0);
          blocks.slice(i + 1).forEach((other) => expect(overlaps(block, other)).toBe(false));
        });
        for (const subnet of plan.subnets) expect(subnet.usable).toBe(subnet.size - 5);
        expect(plan.allocated + plan.unallocated).toBe(plan.vpcSize);
        expect(plan.usable).toBe(plan.allocated - 5 * plan.subnets.length);
      }),
      { numRuns: 300 },
    );
  });

  it("fails only with a planner error, never an exception of another kind", () => {
    fc.assert(fc.property(requestArb, (request) => void tryPlan(request)), { numRuns: 300 });
  });

  it("never moves a subnet when an AZ is added", () => {
    fc.assert(
      fc.property(requestArb, fc.constantFrom(...LETTERS), (request, letter) => {
        if (request.availabilityZones.includes(az(letter))) return;
        const before = tryPlan(request);
        const after = tryPlan({ ...request, availabilityZones: [...request.availabilityZones, az(letter)] });
        if (!before || !after) return;
        for (const [key, cidr] of byKey(before)) expect(byKey(after).get(key)).toBe(cidr);
      }),
      { numRuns: 300 },
    );
  });

  it("never moves a subnet when a tier is appended", () => {
    fc.assert(
      fc.property(requestArb, fc.integer({ min: 20, max: 28 }), (request, prefixLength) => {
        const missing = TIERS.find((tier) => !request.tiers!.some((t) => t.tier === tier));
        if (!missing) return;
        const before = tryPlan(request);
        const after = tryPlan({ ...request, tiers: [...request.tiers!, { tier: missing, prefixLength }] });
        if (!before || !after) return;
        for (const [key, cidr] of byKey(before)) expect(byKey(after).get(key)).toBe(cidr);
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same subnets whatever the order of the AZ list", () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const plan = tryPlan(request);
        const reversed = tryPlan({ ...request, availabilityZones: [...request.availabilityZones].reverse() });
        if (!plan || !reversed) return;
        expect(byKey(reversed)).toEqual(byKey(plan));
      }),
      { numRuns: 200 },
    );
  });
});

describe("CIDR planner properties (explicit subnets)", () => {
  const subnetArb = fc.record({
    tier: fc.constantFrom(...TIERS),
    az: fc.constantFrom(...LETTERS.map(az)),
    third: fc.integer({ min: 0, max: 255 }),
    prefix: fc.integer({ min: 20, max: 28 }),
  });

  it("accepts a set of subnets exactly when none overlap and tier/AZ pairs are unique", () => {
    fc.assert(
      fc.property(fc.array(subnetArb, { maxLength: 6 }), (raw) => {
        const subnets = raw.map(({ tier, az: zone, third, prefix }) => {
          const size = 2 ** (32 - prefix);
          const base = Math.floor((third * 256) / size) * size;
          return { tier, az: zone, cidr: `10.0.${Math.floor(base / 256)}.${base % 256}/${prefix}` };
        });
        const blocks = subnets.map((s) => mustParse(s.cidr));
        const anyOverlap = blocks.some((b, i) => blocks.slice(i + 1).some((o) => overlaps(b, o)));
        const keys = subnets.map((s) => `${s.tier}-${s.az}`);
        const duplicate = new Set(keys).size !== keys.length;
        const plan = tryPlan({ vpcCidr: "10.0.0.0/16", availabilityZones: LETTERS.map(az), subnets });
        expect(plan !== undefined).toBe(!anyOverlap && !duplicate);
      }),
      { numRuns: 300 },
    );
  });
});
