import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import type { ManagedSecurityGroup } from "../network/security-group";

export interface HealthCheck {
  readonly path: string;
  readonly matcher: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

export interface LoadBalancerProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly securityGroup: ManagedSecurityGroup;
  readonly certificateArn: string;
  readonly appPort: number;
  readonly healthCheck: HealthCheck;
  /** @default "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS 1.3 and 1.2 only) */
  readonly tlsPolicy?: string;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** Bucket and prefix for access logs. */
  readonly accessLogs: { readonly bucket: string; readonly prefix: string };
  /** Resources the load balancer must wait for (the log bucket's policy). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Internal: private addresses only, no public DNS name resolves to it from the internet. @default false */
  readonly internal?: boolean;
  /**
   * Forward only requests carrying this header value (the secret CloudFront adds); every other
   * request gets 403 from the listener. @default none: every HTTPS request is forwarded
   */
  readonly requiredHeader?: { readonly name: string; readonly value: string };
}

/**
 * ALB (internet-facing, or internal behind a CloudFront VPC origin): HTTPS with a TLS 1.3 policy to users, HTTP only to redirect (301), plain
 * HTTP to the app servers through a target group with health checks (seed 001).
 */
export class LoadBalancer extends Construct {
  readonly alb: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly httpsListener: LbListener;
  readonly dnsName: string;
  readonly zoneId: string;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    if (props.subnetIds.length < 2) throw new Error(`${id}: subnetIds must list subnets in at least two AZs, got ${props.subnetIds.length}`);
    const hc = props.healthCheck;
    if (!hc.path.startsWith("/")) throw new Error(`${id}: healthCheck.path must start with "/", got "${hc.path}"`);
    if (hc.timeoutSeconds >= hc.intervalSeconds) {
      throw new Error(`${id}: healthCheck.timeoutSeconds (${hc.timeoutSeconds}) must be shorter than intervalSeconds (${hc.intervalSeconds})`);
    }
    this.alb = new Lb(this, "alb", {
      name: `${props.namePrefix}-alb`.slice(0, 32).replace(/-+$/, ""),
      loadBalancerType: "application",
      internal: props.internal ?? false,
      subnets: props.subnetIds,
      securityGroups: [props.securityGroup.id],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? true,
      desyncMitigationMode: "strictest",
      accessLogs: { bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix, enabled: true },
      dependsOn: props.dependsOn,
    });
    this.dnsName = this.alb.dnsName;
    this.zoneId = this.alb.zoneId;
    this.targetGroup = new LbTargetGroup(this, "app", {
      name: `${props.namePrefix}-app`.slice(0, 32).replace(/-+$/, ""),
      vpcId: props.vpcId,
      port: props.appPort,
      protocol: "HTTP",
      targetType: "instance",
      deregistrationDelay: String(props.deregistrationDelaySeconds ?? 30),
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        path: hc.path,
        port: "traffic-port",
        matcher: hc.matcher,
        interval: hc.intervalSeconds,
        timeout: hc.timeoutSeconds,
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
      },
    });
    const header = props.requiredHeader;
    this.httpsListener = new LbListener(this, "https", {
      loadBalancerArn: this.alb.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: props.tlsPolicy ?? "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: props.certificateArn,
      defaultAction: header
        ? [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" } }]
        : [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
    });
    if (header) {
      // Only requests that came through our own distribution carry the secret header.
      new LbListenerRule(this, "from-own-distribution", {
        listenerArn: this.httpsListener.arn,
        priority: 1,
        condition: [{ httpHeader: { httpHeaderName: header.name, values: [header.value] } }],
        action: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      });
    }
    new LbListener(this, "http-redirect", {
      loadBalancerArn: this.alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
  }
}
