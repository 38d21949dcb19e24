import { Construct } from "constructs";
import { fitName } from "./name-budget";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { partitionOf } from "./arn";
import type { PolicyStatement } from "./contracts";
import { grantedInlinePolicy } from "./granted-policy";

/** GitHub Actions' OIDC issuer (host part); the IAM provider for it is one per account. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** A GitHub Actions workflow that may assume the role through GitHub's OIDC provider. */
export interface GithubDeployer {
  /** `owner/repo`. */
  readonly repository: string;
  /** Only runs on this branch. @default "main" (ignored when `environment` is set) */
  readonly branch?: string;
  /** Only jobs in this GitHub environment (the subject claim then names it, not the branch). @default none */
  readonly environment?: string;
  /**
   * "reference": the account's existing IAM OIDC provider for GitHub, by its ARN (no lookup);
   * "create": create it here (an account holds one per issuer URL). @default "reference"
   */
  readonly oidcProvider?: "reference" | "create";
}

export interface DeployRoleProps {
  /** Role name. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** A GitHub repository whose Actions workflows may assume the role. @default none */
  readonly github?: GithubDeployer;
  /**
   * IAM principals that may assume the role (a CI role, a deployer's role). @default none. At least
   * one of `github` and `trustedPrincipalArns` is required: the role never trusts the whole account
   * by default.
   */
  readonly trustedPrincipalArns?: string[];
  /** Longest session, in seconds (3600 to 43200). @default 3600 */
  readonly maxSessionDurationSeconds?: number;
}

/** The subject claim GitHub puts in a workflow's token for this deployer. */
export function githubSubject(github: GithubDeployer): string {
  // https://docs.github.com/en/actions/reference/security/oidc (example subject claims)
  return github.environment ? `repo:${github.repository}:environment:${github.environment}` : `repo:${github.repository}:ref:refs/heads/${github.branch ?? "main"}`;
}

/**
 * The one principal that may write the app's buckets from outside the VPC: CI or a person
 * deploying assumes it. The app servers only read; every other principal's writes are refused by
 * the buckets' policies (they exempt this role by ARN).
 */
export class DeployRole extends Construct {
  readonly role: IamRole;
  /** The role's ARN as IAM reports it (aws:PrincipalArn of its sessions). */
  readonly arn: string;
  /** The IAM OIDC provider for GitHub, when this role created it. */
  readonly oidcProvider?: IamOpenidConnectProvider;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id);
    const principals = props.trustedPrincipalArns ?? [];
    if (!props.github && principals.length === 0) {
      throw new Error(`${id}: give github or trustedPrincipalArns: the deploy role trusts nobody by default (never the whole account)`);
    }
    const statement: DataAwsIamPolicyDocumentStatement[] = [];
    if (principals.length > 0) {
      statement.push({ sid: "NamedPrincipals", effect: "Allow", principals: [{ type: "AWS", identifiers: principals }], actions: ["sts:AssumeRole"] });
    }
    if (props.github) {
      if (!/^[^/\s:*?]+\/[^/\s:*?]+$/.test(props.github.repository)) throw new Error(`${id}: github.repository must be "owner/repo", got "${props.github.repository}"`);
      const providerArn =
        props.github.oidcProvider === "create"
          ? (this.oidcProvider = new IamOpenidConnectProvider(this, "github-oidc", {
            url: `https://${GITHUB_OIDC_HOST}`,
            // The audience aws-actions/configure-aws-credentials asks for. No thumbprint: IAM checks
            // GitHub's certificate against its own trusted CAs.
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
            clientIdList: ["sts.amazonaws.com"],
          })).arn
          : `arn:${partitionOf(props.region)}:iam::${props.accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
      // GitHub's and IAM's guidance: check `aud` and `sub`, so no other repository's workflow (any
      // GitHub user can mint a token from this issuer) may assume the role.
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
      statement.push({
        sid: "GithubActions",
        effect: "Allow",
        principals: [{ type: "Federated", identifiers: [providerArn] }],
        actions: ["sts:AssumeRoleWithWebIdentity"],
        condition: [
          { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:aud`, values: ["sts.amazonaws.com"] },
          { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:sub`, values: [githubSubject(props.github)] },
        ],
      });
    }
    const trust = new DataAwsIamPolicyDocument(this, "trust", { statement });
    this.role = new IamRole(this, "role", {
      name: fitName(props.name, 64),
      description: props.github ? `Deploys the app from ${props.github.repository}: writes the app (and static front-end) buckets` : "Deploys the app: writes the app (and static front-end) buckets",
      assumeRolePolicy: trust.json,
      maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
    });
    this.arn = this.role.arn;
    grantedInlinePolicy(this, this.role, "deploy", () => this.statements);
  }

  /** Lets the role list, upload and delete objects of a bucket encrypted with `keyArn` (through S3 only). */
  grantBucketWrite(sidPrefix: string, bucketArn: string, keyArn: string | undefined, region: string): void {
    this.statements.push(
      { sid: `${sidPrefix}List`, actions: ["s3:ListBucket"], resources: [bucketArn] },
      { sid: `${sidPrefix}Write`, actions: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], resources: [`${bucketArn}/*`] },
    );
    if (keyArn) {
      this.statements.push({
        sid: `${sidPrefix}KeyThroughS3`,
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [keyArn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${region}.amazonaws.com`] }],
      });
    }
  }
}
