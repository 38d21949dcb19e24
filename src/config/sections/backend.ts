import { z } from "zod";
import { bucketNameProblem, keyPrefixProblem } from "../../../modules/common/facts/s3-names";
import { isKnownRegion } from "../../../modules/common/facts/regions";
import { taggedUnion } from "../../../modules/common/settings/parse";

/** Where each stack keeps its Terraform state. Not a capability: the stacks apply it (src/stacks/backend.ts). */

const problemOf = (check: (value: string) => string | undefined) => (value: string, ctx: z.core.$RefinementCtx<string>) => {
  const problem = check(value);
  if (problem) ctx.addIssue({ code: "custom", input: value, message: problem });
};

const localBackend = z.strictObject({ type: z.literal("local") });

const s3Backend = z.strictObject({
  type: z.literal("s3"),
  bucket: z.string().superRefine(problemOf(bucketNameProblem)),
  region: z.string().refine(isKnownRegion, { message: "is not an AWS region" }),
  /** State key is `<keyPrefix>/<environment>/<stack>.tfstate`. */
  keyPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._/-]+$/, "may hold letters, digits, . _ / and - only")
    .superRefine(problemOf(keyPrefixProblem))
    .optional(),
  locking: z.enum(["lockfile", "dynamodb"]).default("lockfile"),
  dynamodbTable: z.string().optional(),
  /**
   * ARN of the KMS key state is encrypted with (the state-backend stack's `kms_key_arn` output).
   * Required: Terraform's S3 backend sends SSE-S3 without it and sends an alias as the alias string,
   * and the state bucket refuses uploads whose key header is not this key's ARN (state and lock file).
   */
  kmsKeyId: z
    .string({ error: (issue) => (issue.input === undefined ? "is required: the ARN of the state key (npm run backend-snippet prints it); without it Terraform uploads state with SSE-S3, which the state bucket refuses" : "must be a string") })
    .regex(
      /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$|^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/mrk-[0-9a-f]{32}$/,
      "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>), not an alias or a key id: Terraform sends the value as given, and the state bucket accepts only uploads naming its key's ARN",
    ),
});

const cloudBackend = z.strictObject({
  type: z.literal("terraform-cloud"),
  organization: z.string().min(1),
  /** A host name, as Terraform's `cloud` block takes it (no scheme, no path). */
  hostname: z
    .string()
    .regex(/^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}(:\d{1,5})?$/, "must be a host name such as app.terraform.io (no https://, no path)")
    .default("app.terraform.io"),
  /** Workspace of a stack is `<workspacePrefix><stack>`. */
  workspacePrefix: z.string().regex(/^[A-Za-z0-9_-]*$/, "may hold letters, digits, _ and - only").default(""),
  project: z.string().optional(),
});

export const backendSettings = taggedUnion("type", [localBackend, s3Backend, cloudBackend])
  .superRefine((backend, ctx) => {
    if (backend.type === "s3" && backend.locking === "dynamodb" && !backend.dynamodbTable) {
      ctx.addIssue({ code: "custom", path: ["dynamodbTable"], message: 'is required when backend.locking is "dynamodb"' });
    }
    if (backend.type === "s3" && backend.locking === "lockfile" && backend.dynamodbTable) {
      ctx.addIssue({ code: "custom", path: ["dynamodbTable"], message: 'is set but backend.locking is "lockfile"; set locking: dynamodb or remove it' });
    }
  })
  .default({ type: "local" })
  .meta({ type: "object", description: "see [Switching backends](#switching-backends)" });
