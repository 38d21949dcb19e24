import type { CidrPlan } from "../../modules/network/cidr/plan";

const n = (value: number) => value.toLocaleString("en-US");

/** The CIDR plan as a table: every subnet with its usable addresses, and what is left. */
export function cidrPlanMarkdown(environment: string, plan: CidrPlan, vpnClientCidr?: string): string {
  const rows = plan.subnets.map((s) => `| ${s.tier} | ${s.az} | ${s.cidr} | ${n(s.size)} | ${n(s.usable)} |`);
  const lines = [
    `# CIDR plan: ${environment}`,
    "",
    `VPC ${plan.vpcCidr}: ${n(plan.vpcSize)} addresses over ${plan.availabilityZones.join(", ")}.`,
    "",
    "| tier | AZ | CIDR | size | usable (size − 5) |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "| total | addresses |",
    "| --- | --- |",
    `| allocated to subnets | ${n(plan.allocated)} |`,
    `| usable in subnets (AWS reserves 5 per subnet) | ${n(plan.usable)} |`,
    `| unallocated in the VPC | ${n(plan.unallocated)} |`,
    "",
    `VPC size − usable (${n(plan.vpcSize)} − ${n(plan.usable)} = ${n(plan.vpcSize - plan.usable)}) is not what is left: it counts the 5 addresses AWS reserves in each subnet as free; the addresses outside any subnet are ${n(plan.unallocated)}.`,
  ];
  if (plan.reservedBlocks.length > 0) {
    lines.push("", "Reserved tier blocks (room for more AZs without moving a subnet):", "", "| tier | block | size |", "| --- | --- | --- |");
    lines.push(...plan.reservedBlocks.map((b) => `| ${b.tier} | ${b.cidr} | ${n(b.size)} |`));
  }
  if (vpnClientCidr) lines.push("", `Client VPN client range (outside the VPC): ${vpnClientCidr}.`);
  return `${lines.join("\n")}\n`;
}
