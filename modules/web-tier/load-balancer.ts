import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import type { ManagedSecurityGroup } from "../network/security-group";

import type { HealthCheckSettings } from "./settings";
import { fitName } from "../common/name-budget";

export type HealthCheck = HealthCheckSettings;

export interface LoadBalancerProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly securityGroup: ManagedSecurityGroup;
  readonly certificateArn: string;
  readonly appPort: number;
  readonly healthCheck: HealthCheck;
  readonly tlsPolicy: string;
  readonly deletionProtection: boolean;
  readonly deregistrationDelaySeconds: number;
  /** Bucket and prefix for access logs. */
  readonly accessLogs: { readonly bucket: string; readonly prefix: string };
  /** Resources the load balancer must wait for (the log bucket's policy). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Internal: private addresses only, no public DNS name resolves to it from the internet. @default false */
  readonly internal?: boolean;
  /**
   * A port-80 listener that only answers 301 to HTTPS, for people typing the address. Only useful
   * where something can reach port 80: an internet-facing ALB whose group admits it. @default !internal
   */
  readonly httpRedirect?: boolean;
  /**
   * Forward only requests carrying this header value (the secret CloudFront adds); every other
   * request gets 403 from the listener. @default none: every HTTPS request is forwarded
   */
  readonly requiredHeader?: { readonly name: string; readonly value: string };
}

/**
 * The ALB (internet-facing, or internal behind a CloudFront VPC origin): an HTTPS listener with a
 * TLS 1.3 policy, a port-80 listener that only redirects (301) when `httpRedirect` is on, and plain
 * HTTP to the app servers through a target group with health checks.
 */
export class LoadBalancer extends Construct {
  readonly alb: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly httpsListener: LbListener;
  readonly dnsName: string;
  readonly zoneId: string;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const hc = props.healthCheck;
    this.alb = new Lb(this, "alb", {
      // Load balancer and target group names: at most 32 characters (ELB API).
      name: fitName(`${props.namePrefix}-alb`, 32),
      loadBalancerType: "application",
      internal: props.internal ?? false,
      subnets: props.subnetIds,
      securityGroups: [props.securityGroup.id],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection,
      desyncMitigationMode: "strictest",
      accessLogs: { bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix, enabled: true },
      dependsOn: props.dependsOn,
    });
    this.dnsName = this.alb.dnsName;
    this.zoneId = this.alb.zoneId;
    this.targetGroup = new LbTargetGroup(this, "app", {
      name: fitName(`${props.namePrefix}-app`, 32),
      vpcId: props.vpcId,
      port: props.appPort,
      protocol: "HTTP",
      targetType: "instance",
      deregistrationDelay: String(props.deregistrationDelaySeconds),
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
      sslPolicy: props.tlsPolicy,
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
    // An internal ALB has no public address; its only client (the CloudFront VPC origin) speaks
    // HTTPS, so a redirect listener there would be a listener nothing can reach.
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html
    if (props.httpRedirect ?? !props.internal) {
      new LbListener(this, "http-redirect", {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      });
    }
  }
}
