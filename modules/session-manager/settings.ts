import { z } from "zod";
import { logRetentionDays, loginUser } from "../common/settings/fields";

/** The `access.sessionManager` section. */
export const sessionManagerSettings = z.strictObject({
  enabled: z.boolean().default(true).meta({ description: "session preferences, logging and the operator policy (needs `webTier`)" }),
  idleTimeoutMinutes: z.number().int().min(1).max(60).default(20).meta({ type: "1-60", description: "a session idle this long is ended" }),
  maxSessionDurationMinutes: z.number().int().min(1).max(1440).default(60).meta({ type: "1-1440", description: "a session lasts at most this long" }),
  runAsUser: loginUser("sessions as root leave no trace of who did what; run as a named user with sudo")
    .optional()
    .meta({ default: "`ssm-user`", description: "run sessions as this user" }),
  logRetentionInDays: logRetentionDays(365).meta({ description: "session logs in CloudWatch, and the S3 copies' expiry" }),
  interfaceEndpoints: z.boolean().optional().meta({ default: "on when `natGateways: none`", description: "ssm, ssmmessages, ec2messages, logs and kms interface endpoints with private DNS" }),
  preferences: z.enum(["managed", "adopt", "unmanaged"]).default("managed").meta({
    description:
      "the account-wide `SSM-SessionManagerRunShell` document: create it, import an existing one (an `import` block), or leave it to another environment of the same account and region (two environments managing it are refused at synth)",
  }),
});

export type SessionManagerSettings = z.output<typeof sessionManagerSettings>;
export type SessionManagerSettingsInput = z.input<typeof sessionManagerSettings>;
