import type { ReachableService } from "./contracts";
import type { ManagedSecurityGroup } from "../network/security-group";

/** A service on one TCP port behind its own group: admitting a client writes both sides' rules. */
export class PortService implements ReachableService {
  constructor(
    readonly securityGroup: ManagedSecurityGroup,
    readonly port: number,
    private readonly serviceName: string,
  ) {}

  allowConnectionsFrom(source: ManagedSecurityGroup, description: string): void {
    source.connectTo(this.securityGroup, this.port, { egress: `${this.serviceName} (${description})`, ingress: description });
  }
}
