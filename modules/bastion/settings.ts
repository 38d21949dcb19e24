import { z } from "zod";
import { instanceType, sourceCidr } from "../common/settings/fields";

/** The `access.bastion` section: off unless asked for. */
export const bastionSettings = z
  .strictObject({
    enabled: z.boolean().default(false).meta({ description: "a bastion in the first public subnet (on in the example to show every path)" }),
    allowedCidrs: z
      .array(sourceCidr("access.bastion.allowedCidrs", { publicOnly: false }))
      .default([])
      .meta({ type: "list of IPv4 CIDRs, /16 or narrower", default: "required when on", description: "networks allowed to SSH in" }),
    instanceType: instanceType("t4g.micro").default("t4g.micro").meta({ description: "the image follows the type's architecture" }),
    keyPairName: z.string().min(1).optional().meta({ default: "none", description: "prefer EC2 Instance Connect's short-lived keys" }),
  })
  .superRefine((b, ctx) => {
    if (b.enabled && b.allowedCidrs.length === 0) {
      ctx.addIssue({ code: "custom", path: ["allowedCidrs"], message: "must list the networks allowed to SSH to the bastion (never the whole internet)" });
    }
  });

export type BastionSettings = z.output<typeof bastionSettings>;
export type BastionSettingsInput = z.input<typeof bastionSettings>;
