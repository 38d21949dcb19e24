import fc from "fast-check";
import { publicCoverage } from "../src/verify/public-space";

describe("how much of the internet a set of CIDRs admits (arithmetic, not spelling)", () => {
  it.each<[string[], boolean, boolean]>([
    [["0.0.0.0/0"], true, true],
    [["0.0.0.0/1", "128.0.0.0/1"], true, true],
    [["::/0"], true, true],
    [["2000::/4", "3000::/4"], true, true],
    [["203.0.113.0/24"], false, false],
    [["52.0.0.0/8"], false, true],
    [["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], false, false],
    [["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2"], false, true],
  ])("%j: the internet %s, a large public space %s", (cidrs, internet, large) => {
    const coverage = publicCoverage(cidrs);
    expect([coverage.internet, coverage.large]).toEqual([internet, large]);
  });

  it("splitting a range into pieces never changes what it admits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 8 }), (first, prefix) => {
        const base = `${first & (256 - 2 ** (8 - Math.min(prefix, 8)))}.0.0.0/${prefix}`;
        const whole = publicCoverage([base]);
        const [addr] = base.split("/");
        const octet = Number(addr.split(".")[0]);
        const half = 2 ** (8 - prefix - 1);
        if (prefix >= 8) return true;
        const split = publicCoverage([`${octet}.0.0.0/${prefix + 1}`, `${octet + half}.0.0.0/${prefix + 1}`]);
        return whole.internet === split.internet && whole.large === split.large && whole.description.split(" admit ")[1] === split.description.split(" admit ")[1];
      }),
    );
  });
});
