import type { IConstruct } from "constructs";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import type { GuardrailRule } from "../rule";

const isOn = (value: unknown) => value === true || value === "true";

export const noPublicIp: GuardrailRule = {
  id: "PA-NET-002",
  title: "No public IP addresses on instances, launch templates or subnets (except the optional bastion)",
  explanation:
    "Instances live in private subnets and leave through the NAT gateway; a public IP makes an instance reachable around every access path this project builds.",
  check(construct: IConstruct): string[] {
    // The optional bastion is the one instance with a public IP on purpose: its module records the exception.
    if (construct instanceof Instance && isOn(construct.associatePublicIpAddressInput)) {
      return ["instance has associate_public_ip_address = true"];
    }
    if (construct instanceof LaunchTemplate) {
      const interfaces = construct.networkInterfacesInput;
      if (Array.isArray(interfaces) && interfaces.some((nic) => isOn(nic.associatePublicIpAddress))) {
        return ["launch template gives its network interface a public IP"];
      }
    }
    if (construct instanceof Subnet && isOn(construct.mapPublicIpOnLaunchInput)) {
      return ["subnet maps a public IP to every instance launched in it (map_public_ip_on_launch = true)"];
    }
    return [];
  },
};
