import { REVOCATION_REASONS, RevocationReason, RevokedSerial } from "./certificates";

/** One revoked client certificate, as kept in `pki/<env>/revoked.json`. */
export interface RevocationRecord {
  readonly serial: string;
  readonly user: string;
  readonly commonName: string;
  /** ISO 8601. */
  readonly revokedAt: string;
  readonly reason: RevocationReason;
}

/** `revoked.json`: every revocation so far and the number of the last CRL written from it. */
export interface RevocationList {
  readonly crlNumber: number;
  readonly revoked: readonly RevocationRecord[];
}

export const EMPTY_REVOCATION_LIST: RevocationList = { crlNumber: 0, revoked: [] };

const SERIAL = /^[0-9a-f]+$/;

/** Reads `revoked.json`; a damaged file is an error naming it (never silently an empty list). */
export function parseRevocationList(file: string, text: string): RevocationList {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message})`);
  }
  const list = raw as Partial<RevocationList> | null;
  if (!list || typeof list !== "object" || !Number.isSafeInteger(list.crlNumber) || (list.crlNumber ?? -1) < 0 || !Array.isArray(list.revoked)) {
    throw new Error(`${file} must be { "crlNumber": N, "revoked": [...] }`);
  }
  list.revoked.forEach((entry: Partial<RevocationRecord>, index) => {
    const ok =
      entry && typeof entry.serial === "string" && SERIAL.test(entry.serial) && typeof entry.user === "string" && typeof entry.commonName === "string" &&
      typeof entry.revokedAt === "string" && !Number.isNaN(Date.parse(entry.revokedAt)) && typeof entry.reason === "string" && entry.reason in REVOCATION_REASONS;
    if (!ok) throw new Error(`${file}: revoked[${index}] must have serial (hex), user, commonName, revokedAt (ISO date) and reason`);
  });
  return { crlNumber: list.crlNumber as number, revoked: list.revoked as RevocationRecord[] };
}

export function renderRevocationList(list: RevocationList): string {
  return `${JSON.stringify(list, null, 2)}\n`;
}

export function findRevocation(list: RevocationList, serial: string): RevocationRecord | undefined {
  return list.revoked.find((entry) => entry.serial === serial.toLowerCase());
}

/** Adds one revocation and bumps the CRL number; refuses a serial already listed. */
export function addRevocation(list: RevocationList, record: RevocationRecord): RevocationList {
  const earlier = findRevocation(list, record.serial);
  if (earlier) throw new Error(`${earlier.user}'s certificate (serial ${earlier.serial}) is already revoked (${earlier.revokedAt})`);
  return { crlNumber: list.crlNumber + 1, revoked: [...list.revoked, { ...record, serial: record.serial.toLowerCase() }] };
}

/** The CRL entries for a list. */
export function revokedSerials(list: RevocationList): RevokedSerial[] {
  return list.revoked.map((entry) => ({ serial: entry.serial, revokedAt: new Date(entry.revokedAt), reason: entry.reason }));
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `terraform -chdir=cdktf.out/stacks/<env>-aws output -raw client_vpn_endpoint_id` as arguments. */
export function endpointIdLookup(environment: string, outdir = "cdktf.out"): string[] {
  return [`-chdir=${outdir}/stacks/${environment}-aws`, "output", "-raw", "client_vpn_endpoint_id"];
}

/** The AWS CLI arguments that import a CRL into a Client VPN endpoint. */
export function importCrlArguments(region: string, endpointId: string, crlFile: string): string[] {
  return ["ec2", "import-client-certificate-revocation-list", "--region", region, "--client-vpn-endpoint-id", endpointId, "--certificate-revocation-list", `file://${crlFile}`];
}

/**
 * The import step as one shell line; without an endpoint id it asks Terraform for the stack's
 * `client_vpn_endpoint_id` output.
 */
export function importCrlCommand(region: string, environment: string, crlFile: string, endpointId?: string): string {
  const id = endpointId !== undefined ? shellWord(endpointId) : `$(terraform ${endpointIdLookup(environment).join(" ")})`;
  const args = importCrlArguments(region, "ENDPOINT", crlFile).map((arg) => (arg === "ENDPOINT" ? id : shellWord(arg)));
  return ["aws", ...args].join(" ");
}
