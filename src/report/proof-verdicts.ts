import type { EnvironmentProof, PathProof } from "../verify/proof";
import type { AccessPath } from "./access-matrix";

/**
 * Which proven path each access-matrix row belongs to, and that path's verdict: a reviewer sees at
 * once which rules carry a declared path (and whether it holds) and which serve none. Rows are
 * matched by the rule or statement the proof's hops name.
 */
export function proofVerdictOf(row: AccessPath, proof: EnvironmentProof | undefined): string {
  if (!proof) return "not verified";
  const paths = proof.paths.filter((p) => p.kind === "path" && matches(row, p));
  if (paths.length === 0) return "no declared path uses it";
  const worst = paths.find((p) => p.verdict === "broken") ?? paths.find((p) => p.verdict === "unproven");
  return worst ? `${worst.verdict.toUpperCase()} (${worst.id})` : `holds (${paths.map((p) => p.id).join(", ")})`;
}

function mentions(p: PathProof, text: string): boolean {
  return p.hops.some((h) => h.detail.includes(text) || h.name.includes(text));
}

function matches(row: AccessPath, p: PathProof): boolean {
  if (row.via.startsWith("security group rule")) {
    const dest = row.destination.replace(/^sg /, "");
    const port = row.port;
    const source = row.source.startsWith("sg ") ? `group ${row.source.slice(3)}` : row.source.startsWith("prefix list ") ? row.source : row.source.startsWith("cidr ") ? row.source.slice(5) : row.source === "internet" ? "0.0.0.0/0" : row.source;
    return mentions(p, `${dest} ingress tcp ${port} from ${source}`) || mentions(p, `${dest} ingress udp ${port} from ${source}`) || mentions(p, `${dest} ingress all traffic from ${source}`);
  }
  if (row.via === "Client VPN authorization rule") return p.id.startsWith("vpn") && mentions(p, `authorization rule ${row.destination.replace(/^cidr /, "")}`);
  if (row.via.startsWith("IAM OpenTunnel")) return p.id.startsWith("eic");
  if (row.via === "IAM ssm:StartSession") return p.id.startsWith("ssm-shell");
  if (row.via.startsWith("CloudFront")) return p.id === "web" || p.id === "web-static";
  if (row.via === "public IP") return p.id === "bastion-ssh";
  if (row.via.startsWith("Cloudflare Tunnel ingress")) {
    const host = /\(([^)]+)\)$/.exec(row.source)?.[1];
    return host !== undefined && p.id === `tunnel-ssh:${host}`;
  }
  return false;
}
