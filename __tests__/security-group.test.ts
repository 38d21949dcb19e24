import { TerraformStack, Testing } from "cdktf";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ManagedSecurityGroup } from "../modules/network/security-group";

const newStack = () => new TerraformStack(Testing.app(), "test");

function groups() {
  const stack = newStack();
  const make = (id: string) => new ManagedSecurityGroup(stack, id, { vpcId: "vpc-123", name: `pa-${id}`, description: `${id} group` });
  return { stack, alb: make("alb"), app: make("app") };
}

describe("ManagedSecurityGroup", () => {
  it("starts with no rules; one connectTo writes both sides, each a described rule resource", () => {
    const { stack, alb, app } = groups();
    alb.connectTo(app, 8080, { egress: "HTTP to the app servers", ingress: "HTTP from the ALB" });
    const json = Testing.synth(stack);
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      ip_protocol: "tcp",
      from_port: 8080,
      to_port: 8080,
      description: "HTTP from the ALB",
      referenced_security_group_id: expect.stringMatching(/^\$\{aws_security_group\.alb_group_[0-9A-F]{8}\.id\}$/),
    });
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { description: "HTTP to the app servers", from_port: 8080 });
    const groupsJson = JSON.parse(json).resource.aws_security_group;
    for (const group of Object.values(groupsJson) as any[]) {
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
      expect(group.revoke_rules_on_delete).toBe(true);
    }
  });

  it.each<[string, (g: ReturnType<typeof groups>) => unknown, RegExp]>([
    ["a port out of range", ({ app, alb }) => alb.connectTo(app, 70000, { egress: "bad", ingress: "bad" }), /port must be 1 to 65535, got 70000/],
    ["a rule without a description", ({ app, alb }) => alb.connectTo(app, 8080, { egress: "to app", ingress: "  " }), /every rule needs a description/],
    ["the internet through allowFromCidr", ({ app }) => app.allowFromCidr("0.0.0.0/0", 22, "ssh"), /opens port 22 to the internet/],
    ["a public entry on a port other than 80/443", ({ alb }) => alb.allowPublicEntry(22 as 80, "ssh"), /must be 80 or 443, got 22/],
  ])("refuses %s", (_what, act, message) => {
    expect(() => act(groups())).toThrow(message);
  });

  it("refuses a group without a description", () => {
    expect(() => new ManagedSecurityGroup(newStack(), "x", { vpcId: "vpc-1", name: "x", description: "" })).toThrow(/description must not be empty/);
  });
});
