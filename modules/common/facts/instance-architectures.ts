/**
 * Which EC2 instance families run arm64 (AWS Graviton), so an AMI lookup asks for the right architecture.
 * Explicit data, not a "g after the digit" rule: a1 has no "g", and g5 (x86_64, NVIDIA) vs g5g (arm64)
 * shows how close the names are.
 */

// Source: "Amazon EC2 instance types" / "Instance type specifications" (Amazon EC2 Instance Types guide) —
//   https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-types.html ("Graviton" processors), and
//   "AWS Graviton Processor" — https://aws.amazon.com/ec2/graviton/
// unconfirmed: this list is from memory of those pages, not matched family by family in a search. A Graviton family
//   launched after it (e.g. a c9g) reads as x86_64 until it is added here.
export const ARM64_INSTANCE_FAMILIES = [
  // Graviton (1st generation)
  "a1",
  // Burstable
  "t4g",
  // Compute optimized
  "c6g", "c6gd", "c6gn", "c7g", "c7gd", "c7gn", "c8g", "c8gd", "c8gn",
  // General purpose
  "m6g", "m6gd", "m7g", "m7gd", "m8g", "m8gd",
  // Memory optimized
  "r6g", "r6gd", "r7g", "r7gd", "r8g", "r8gd", "x2gd", "x8g",
  // Storage optimized
  "im4gn", "is4gen", "i4g", "i8g", "i8ge",
  // Accelerated computing (NVIDIA T4G on Graviton2)
  "g5g",
  // HPC
  "hpc7g",
  // Graviton families the EC2 API model (@aws-sdk/client-ec2 3.1178.0, modules/common/facts/ec2-instance-types.ts) names
  // and the list above lacked: the Graviton4 "b" (EBS-optimized) and "n" (network) variants and the 9th generation.
  // A "g" after the generation is AWS's naming for Graviton ("Instance type naming conventions" in the Instance Types
  // guide); __tests__/ec2-instance-types.test.ts fails when the model names a family like that which is not here.
  // unconfirmed: each family's page was not read; the naming rule is the evidence.
  "c8gb", "m8gb", "m8gn", "r8gb", "r8gn",
  "c9g", "c9gd", "m9g", "m9gd", "r9g", "r9gd",
] as const;

// Source: "Amazon EC2 Mac instances" — https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-mac-instances.html
//   mac1 is x86_64_mac, the mac2 families are arm64_mac (Apple silicon): both need Dedicated Hosts and macOS AMIs,
//   which this project does not plan for. unconfirmed: the mac-m4 / mac-m4pro names; any "mac" family is refused anyway.
export const UNSUPPORTED_MAC_FAMILIES = ["mac1", "mac2", "mac2-m1ultra", "mac2-m2", "mac2-m2pro", "mac-m4", "mac-m4pro"] as const;

/** The family part of an instance type: "c6g.xlarge" → "c6g", "mac2-m2.metal" → "mac2-m2". */
export function instanceFamilyOf(instanceType: string): string {
  return instanceType.split(".")[0].toLowerCase();
}

/**
 * The architecture an AMI must have for `instanceType`. Throws for Mac families (arm64_mac / x86_64_mac),
 * which are not a plain arm64 or x86_64 and are not supported here.
 */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
  const family = instanceFamilyOf(instanceType);
  if ((UNSUPPORTED_MAC_FAMILIES as readonly string[]).includes(family) || family.startsWith("mac")) {
    throw new Error(`${instanceType} is an EC2 Mac instance (macOS on a Dedicated Host), which is not supported`);
  }
  return (ARM64_INSTANCE_FAMILIES as readonly string[]).includes(family) ? "arm64" : "x86_64";
}
