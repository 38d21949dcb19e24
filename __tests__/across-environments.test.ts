import { checkAcrossEnvironments } from "../src/config/across-environments";
import { exampleWith } from "./helpers/environment";

describe("names two environments cannot share", () => {
  it("one environment routing two paths of one hostname claims it once (not a clash with itself)", () => {
    const env = exampleWith((d) => {
      d.cloudflareTunnel.ingress = [{ hostname: "ssh.example.com", path: "^/a", service: "http://localhost:8080" }, { hostname: "ssh.example.com", service: "ssh://localhost:22" }, { service: "http_status:404" }];
    });
    expect(checkAcrossEnvironments([env]).map((e) => e.message)).toEqual([]);
  });

  it("a second environment with the same tunnel hostname is refused, naming the first", () => {
    const first = exampleWith();
    const second = exampleWith(() => {}, "staging");
    const messages = checkAcrossEnvironments([first, second]).map((e) => e.message);
    expect(messages.some((m) => m.includes("ssh.example.com") && m.includes("already claimed by environments/example.yaml"))).toBe(true);
  });
});
