import type { IConstruct } from "constructs";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import type { GuardrailRule } from "../rule";

/**
 * aws_instance passes its `ami` to DescribeImages before launch and compares it on every plan, so
 * an SSM parameter reference there cannot work: with a root_block_device the create fails
 * (InvalidAMIID.Malformed, hashicorp/terraform-provider-aws#43488), and once created the AMI id read
 * back differs from `resolve:ssm:…` and forces replacement on every apply (#43364).
 * Launch templates pass `resolve:ssm:` through to EC2 unchanged, so instances launch from one.
 */
export const instanceImageResolvable: GuardrailRule = {
  id: "PA-EC2-002",
  title: "aws_instance never takes a resolve:ssm: image (launch it from a launch template)",
  explanation:
    "The AWS provider looks the ami up with DescribeImages and compares it on every plan: `resolve:ssm:` fails at create with a root volume and otherwise replaces the instance on every apply.",
  check(construct: IConstruct): string[] {
    if (!(construct instanceof Instance)) return [];
    const ami = construct.amiInput;
    if (typeof ami === "string" && ami.startsWith("resolve:ssm:")) {
      const extra = construct.rootBlockDeviceInput ? " (and with root_block_device the create itself fails)" : "";
      return [`ami "${ami}" is an SSM parameter reference: the instance would be replaced on every apply${extra}; launch it from a launch template`];
    }
    return [];
  },
};
