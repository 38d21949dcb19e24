/**
 * Offline IAM evaluation for the access-path verifier.
 *
 * A thin adapter over `@cloud-copilot/iam-simulate` (AGPL, a dev dependency), loaded lazily with
 * `require()` inside the functions, so importing this module has no side effects and the synth path
 * never needs it.
 *
 * Deterministic and offline: the simulator evaluates against the IAM data bundled in `iam-data`.
 */
import type {
  RequestAnalysis,
  RequestDenial,
  RequestGrant,
  RunSimulationResults,
  Simulation,
  SimulationErrors,
  SimulationIdentityPolicy,
  StatementExplain,
} from "@cloud-copilot/iam-simulate";
import { NamedPolicy, PolicyDocument, PolicyStatementJson, statementLabel, statementsOf, toArray } from "./iam-policy";


export interface IamRequest {
  /** e.g. arn:aws:iam::123456789012:role/app (an assumed-role session is fine too) */
  readonly principal: string;
  /** "kms:Decrypt" */
  readonly action: string;
  /** a concrete ARN (no wildcards) */
  readonly resource: string;
  /** 12 digits */
  readonly resourceAccount: string;
  /** request context keys, e.g. {"kms:ViaService": "s3.ap-northeast-2.amazonaws.com", "aws:userid": "AROA...:alice"} */
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  readonly identityPolicies: readonly NamedPolicy[];
  /** bucket policy, key policy ... */
  readonly resourcePolicy?: NamedPolicy;
}

export type IamResult = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

export interface IamDecision {
  readonly result: IamResult;
  /**
   * Human-readable: which statements granted (for Allowed) or denied (ExplicitlyDenied); for
   * ImplicitlyDenied, a short reason — best effort from the simulator's analysis.
   */
  readonly reasons: readonly string[];
  /** Context keys the simulator ignored because its data does not list them for this action (the caller treats a non-empty list as "unproven"). */
  readonly ignoredContextKeys: readonly string[];
}

type SimulatorModule = typeof import("@cloud-copilot/iam-simulate");

const MISSING_DEV_DEPENDENCIES = "npm run verify needs the dev dependencies (@cloud-copilot/iam-simulate): run npm ci";

/** Reasons line added when the evaluation had to skip the simulator's input validation. */
export const UNSAFE_EVALUATION_NOTE =
  "evaluated without the simulator's input checks (its data lacks this action's resource or condition keys)";

/**
 * `runSimulation` errors that come from gaps in iam-data's action/resource-type data rather than from the
 * request or the policies; for these (and for dropped context keys) an identity-only request is re-run with
 * `runUnsafeSimulation`.
 */
const DATA_GAP_ERRORS = new Set(["multiple.resource.types", "no.resource.types", "must.use.wildcard"]);

let simulatorModule: SimulatorModule | undefined;

function loadSimulator(): SimulatorModule {
  if (simulatorModule === undefined) {
    try {
      simulatorModule = require("@cloud-copilot/iam-simulate") as SimulatorModule;
    } catch (cause) {
      throw new Error(MISSING_DEV_DEPENDENCIES, { cause });
    }
  }
  return simulatorModule;
}


// ---------------------------------------------------------------------------------------------------------
// evaluateIam
// ---------------------------------------------------------------------------------------------------------

/** Deep copy of a JSON value with Terraform's `&{...}` policy-variable escape turned back into IAM's `${...}`. */
function withIamVariables<T>(value: T): T {
  const convert = (v: unknown): unknown => {
    if (typeof v === "string") return v.replace(/&\{/g, "${");
    if (Array.isArray(v)) return v.map(convert);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[convert(k) as string] = convert(inner);
      return out;
    }
    return v;
  };
  return convert(value) as T;
}


function serviceOf(action: string): string {
  return action.split(":")[0]!.toLowerCase();
}

interface Prepared {
  readonly request: IamRequest;
  readonly identity: NamedPolicy[];
  readonly resourcePolicy?: NamedPolicy;
  readonly simulation: Simulation;
}

function prepare(request: IamRequest): Prepared {
  const identity = request.identityPolicies.map((p) => ({ name: p.name, policy: withIamVariables(p.policy) }));
  const resourcePolicy = request.resourcePolicy
    ? { name: request.resourcePolicy.name, policy: withIamVariables(request.resourcePolicy.policy) }
    : undefined;
  const contextVariables: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(request.context)) {
    contextVariables[key] = typeof value === "string" ? value : [...value];
  }
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables,
    },
    identityPolicies: identity.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy: resourcePolicy.policy } : {}),
  };
  return { request, identity, ...(resourcePolicy ? { resourcePolicy } : {}), simulation };
}

/** "key policy of alias/x", "bucket policy of my-bucket": resource policies are named by what they govern. */
function resourcePolicyWord(p: Prepared): string {
  const service = serviceOf(p.request.action);
  return service === "kms" ? "key policy of" : service === "s3" ? "bucket policy of" : "resource policy of";
}

function describeGrant(p: Prepared, g: RequestGrant): string {
  const label = (policy: PolicyDocument | undefined) => statementLabel(policy, g.statementIndex, g.statementId);
  switch (g.policyType) {
    case "identity": {
      const policy = p.identity.find((x) => x.name === g.policyIdentifier)?.policy;
      return `statement ${label(policy)} of identity policy ${g.policyIdentifier}`;
    }
    case "resource":
      return `statement ${label(p.resourcePolicy?.policy)} of ${resourcePolicyWord(p)} ${p.resourcePolicy?.name ?? "(unnamed)"}`;
    case "scp":
    case "rcp":
      return `statement ${label(undefined)} of ${g.policyType} ${g.policyIdentifier} (${g.orgIdentifier})`;
    default:
      return `statement ${label(undefined)} of ${g.policyType} policy ${g.policyIdentifier}`;
  }
}

function describeExplicitDenial(p: Prepared, d: Extract<RequestDenial, { denialType: "Explicit" }>): string {
  const sid = (policy: PolicyDocument | undefined) => statementLabel(policy, d.statementIndex, d.statementId);
  if (d.policyType === "identity") {
    const policy = p.identity.find((x) => x.name === d.policyIdentifier)?.policy;
    return `statement ${sid(policy)} of identity policy ${d.policyIdentifier ?? ""}`;
  }
  if (d.policyType === "resource") {
    return `statement ${sid(p.resourcePolicy?.policy)} of ${resourcePolicyWord(p)} ${p.resourcePolicy?.name ?? "(unnamed)"}`;
  }
  return `statement ${sid(undefined)} of ${d.policyType} policy ${d.policyIdentifier ?? ""}`;
}

function explainValues(explain: StatementExplain["conditions"]): string[] {
  const out: string[] = [];
  for (const c of explain ?? []) {
    if (c.matches) continue;
    const why = c.failedBecauseMissing
      ? "the request lacks the key"
      : c.resolvedConditionKeyValue !== undefined
        ? `the request has ${c.resolvedConditionKeyValue}`
        : "not satisfied";
    out.push(`condition ${c.operator} ${c.conditionKeyValue} not met (${why})`);
  }
  return out;
}

/** Why a statement whose action matched did not apply, from the simulator's explain. */
function explainMismatch(explain: StatementExplain): string {
  const parts: string[] = [];
  if (explain.principalMatch === "NoMatch") parts.push("principal does not match");
  if (!explain.resourceMatch) {
    const resources = toArray(explain.resources ?? explain.notResources);
    const detail = resources
      .filter((r) => !r.matches)
      .map((r) => `${r.resolvedValue ?? r.resource}${r.mismatchReason ? ` (${r.mismatchReason})` : ""}`);
    parts.push(`resource does not match${detail.length > 0 ? `: ${detail.join(", ")}` : ""}`);
  }
  if (!explain.conditionMatch) parts.push(...explainValues(explain.conditions));
  return parts.length > 0 ? parts.join("; ") : "does not match";
}

type StatementAnalyses = NonNullable<RequestAnalysis["identityAnalysis"]> | NonNullable<RequestAnalysis["resourceAnalysis"]>;

/** One line per Allow statement whose action matched the request but which did not apply. */
function unmatchedAllowDetails(kind: string, analysis: StatementAnalyses | undefined, policyName: (policyId: string) => string): string[] {
  if (!analysis) return [];
  return analysis.unmatchedStatements
    .filter((s) => s.statement.isAllow() && s.explain.actionMatch)
    .map((s) => `statement ${s.statement.sid() ?? `#${s.statement.index()}`} of ${kind} ${policyName(s.policyId)}: ${explainMismatch(s.explain)}`);
}

function implicitReasons(p: Prepared, analysis: RequestAnalysis, denials: RequestDenial[]): string[] {
  const reasons: string[] = [];
  const identityNotAllowed = analysis.identityAnalysis !== undefined && analysis.identityAnalysis.result !== "Allowed";
  const isKms = serviceOf(p.request.action) === "kms";
  const resourceAllowed = analysis.resourceAnalysis?.result === "Allowed" || analysis.resourceAnalysis?.result === "AllowedForAccount";
  let identityBlamed = false;
  let resourceBlamed = false;

  const blameIdentity = () => {
    if (identityBlamed) return;
    identityBlamed = true;
    if (p.identity.length === 0) {
      reasons.push("no identity policy");
    } else {
      for (const policy of p.identity) reasons.push(`no statement of identity policy ${policy.name} matches`);
    }
    reasons.push(...unmatchedAllowDetails("identity policy", analysis.identityAnalysis, (id) => id));
  };
  const blameResource = () => {
    if (resourceBlamed) return;
    resourceBlamed = true;
    if (!p.resourcePolicy) {
      reasons.push(
        isKms
          ? "no key policy: KMS needs the key policy to grant the account or principal"
          : "no resource policy grants the principal (needed for a cross-account request)",
      );
      return;
    }
    reasons.push(
      isKms
        ? `key policy of ${p.resourcePolicy.name} grants nothing to the account or principal`
        : `${resourcePolicyWord(p)} ${p.resourcePolicy.name} grants nothing to the principal`,
    );
    reasons.push(...unmatchedAllowDetails(resourcePolicyWord(p), analysis.resourceAnalysis, () => p.resourcePolicy!.name));
  };

  for (const d of denials) {
    if (d.denialType === "Explicit") {
      reasons.push(describeExplicitDenial(p, d));
    } else if (d.policyType === "identity") {
      blameIdentity();
    } else if (d.policyType === "resource") {
      blameResource();
    } else {
      reasons.push(`${d.policyType} policies${d.identifier ? ` of ${d.identifier}` : ""} allow nothing for this request`);
    }
  }
  if (reasons.length === 0) {
    // getDenialReasons returns [] for a KMS key without a (granting) key policy, a cross-account request
    // without a resource-policy grant, and a session-policy denial: reconstruct from the analysis.
    if (identityNotAllowed) blameIdentity();
    if (!resourceAllowed && (isKms || !analysis.sameAccount || p.resourcePolicy)) blameResource();
    if (analysis.sessionAnalysis && analysis.sessionAnalysis.result !== "Allowed") reasons.push("the session policy allows nothing for this request");
  }
  if (reasons.length === 0) reasons.push("the simulator gave no reason for the implicit deny");
  return reasons;
}

function decisionFromAnalyses(p: Prepared, result: IamResult, analyses: RequestAnalysis[], ignored: string[]): IamDecision {
  const simulator = loadSimulator();
  const reasons: string[] = [];
  for (const analysis of analyses) {
    if (analysis.result === "Allowed") {
      reasons.push(...simulator.getGrantReasons(analysis).map((g) => describeGrant(p, g)));
    } else if (analysis.result === "ExplicitlyDenied") {
      for (const d of simulator.getDenialReasons(analysis)) {
        if (d.denialType === "Explicit") reasons.push(describeExplicitDenial(p, d));
      }
    } else {
      reasons.push(...implicitReasons(p, analysis, simulator.getDenialReasons(analysis)));
    }
  }
  return { result, reasons: [...new Set(reasons)], ignoredContextKeys: [...new Set(ignored)].sort() };
}

function errorText(errors: SimulationErrors): string {
  const parts: string[] = [errors.message];
  const perPolicy = (label: string, byName: Record<string, { path: string; message: string }[]> | undefined) => {
    for (const [name, list] of Object.entries(byName ?? {})) {
      for (const e of list) parts.push(`${label} ${name}: ${e.path}: ${e.message}`);
    }
  };
  perPolicy("identity policy", errors.identityPolicyErrors);
  perPolicy("permission boundary", errors.permissionBoundaryErrors);
  perPolicy("scp", errors.serviceControlPolicyErrors);
  perPolicy("rcp", errors.resourceControlPolicyErrors);
  perPolicy("vpc endpoint policy", errors.vpcEndpointErrors);
  for (const e of errors.resourcePolicyErrors ?? []) parts.push(`resource policy: ${e.path}: ${e.message}`);
  for (const e of errors.sessionPolicyErrors ?? []) parts.push(`session policy: ${e.path}: ${e.message}`);
  for (const e of errors.anonymousRequestErrors ?? []) parts.push(e);
  return parts.join("; ");
}

const PROBE_ALLOW_ALL: SimulationIdentityPolicy = {
  name: "__verify_probe_allow_all",
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

/**
 * `runUnsafeSimulation` only returns the result string, so attribute it by re-running single statements:
 * an Allow statement that allows on its own granted; a Deny statement that denies next to an allow-all
 * denied; for an Allow statement that does not apply, the conditions whose removal makes it apply failed.
 */
function unsafeDecision(p: Prepared): IamDecision {
  const simulator = loadSimulator();
  const run = (identityPolicies: SimulationIdentityPolicy[]): IamResult | "error" => {
    try {
      return simulator.runUnsafeSimulation({ ...p.simulation, identityPolicies }, { simulationMode: "Strict" });
    } catch {
      return "error";
    }
  };
  const only = (name: string, version: string | undefined, statement: PolicyStatementJson): SimulationIdentityPolicy => ({
    name,
    policy: { Version: version ?? "2012-10-17", Statement: [statement] },
  });

  const overall = run(p.simulation.identityPolicies);
  if (overall === "error") {
    return {
      result: "ImplicitlyDenied",
      reasons: ["the simulator could not evaluate the request (runUnsafeSimulation failed on the policies)"],
      ignoredContextKeys: [],
    };
  }
  const reasons: string[] = [UNSAFE_EVALUATION_NOTE];
  for (const policy of p.identity) {
    statementsOf(policy.policy).forEach((statement, i) => {
      const label = statementLabel(policy.policy, i + 1, statement.Sid);
      const single = only(policy.name, policy.policy.Version, statement);
      if (overall === "ExplicitlyDenied" && statement.Effect === "Deny") {
        if (run([single, PROBE_ALLOW_ALL]) === "ExplicitlyDenied") reasons.push(`statement ${label} of identity policy ${policy.name}`);
      } else if (overall === "Allowed" && statement.Effect === "Allow") {
        if (run([single]) === "Allowed") reasons.push(`statement ${label} of identity policy ${policy.name}`);
      }
    });
  }
  if (overall === "ImplicitlyDenied") {
    if (serviceOf(p.request.action) === "kms") {
      // Without a key policy KMS denies whatever the identity policies say.
      reasons.push("no key policy: KMS needs the key policy to grant the account or principal");
      return { result: overall, reasons, ignoredContextKeys: [] };
    }
    if (p.identity.length === 0) reasons.push("no identity policy");
    for (const policy of p.identity) reasons.push(`no statement of identity policy ${policy.name} matches`);
    for (const policy of p.identity) {
      statementsOf(policy.policy).forEach((statement, i) => {
        if (statement.Effect !== "Allow") return;
        const label = `statement ${statementLabel(policy.policy, i + 1, statement.Sid)} of identity policy ${policy.name}`;
        const allows = (s: PolicyStatementJson) => run([only(policy.name, policy.policy.Version, s)]) === "Allowed";
        const unconditional: PolicyStatementJson = { ...statement };
        delete unconditional.Condition;
        if (!allows(unconditional)) {
          const anyResource: PolicyStatementJson = { ...unconditional, Resource: "*" };
          delete anyResource.NotResource;
          if (allows(anyResource)) {
            reasons.push(`${label}: resource does not match: ${toArray(statement.Resource ?? statement.NotResource).join(", ")}`);
          }
          return; // otherwise its action does not match: not about this request
        }
        const failed: string[] = [];
        for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
          for (const [key, values] of Object.entries(keys)) {
            if (allows({ ...statement, Condition: { [operator]: { [key]: values } } })) continue;
            const value = p.simulation.request.contextVariables[key];
            failed.push(`condition ${operator} ${key} not met (${value === undefined ? "the request lacks the key" : `the request has ${toArray(value).join(",")}`})`);
          }
        }
        reasons.push(`${label}: ${failed.length > 0 ? failed.join("; ") : "its conditions are not met together"}`);
      });
    }
  }
  return { result: overall, reasons, ignoredContextKeys: [] };
}

/**
 * Evaluates one request offline with iam-simulate (Strict mode). Never throws for a simulator error (that
 * becomes an ImplicitlyDenied decision naming the error); throws only when the dev dependencies are missing.
 */
export async function evaluateIam(request: IamRequest, options: { surrogate?: boolean } = {}): Promise<IamDecision> {
  const simulator = loadSimulator();
  const p = prepare(request);

  let results: RunSimulationResults;
  try {
    results = await simulator.runSimulation(p.simulation, { simulationMode: "Strict" });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // iam-data files some keys under another service (ec2:osuser lives in ec2-instance-connect), and
    // the strict run throws on them: the same data gap as above, handled the same way.
    if (!p.resourcePolicy && /^Condition key \S+ not found/.test(message)) return unsafeDecision(p);
    return { result: "ImplicitlyDenied", reasons: [`the simulator failed: ${message}`], ignoredContextKeys: [] };
  }

  if (results.resultType === "error") {
    if (!p.resourcePolicy && DATA_GAP_ERRORS.has(results.errors.message)) return unsafeDecision(p);
    return { result: "ImplicitlyDenied", reasons: [`the simulator rejected the request: ${errorText(results.errors)}`], ignoredContextKeys: [] };
  }

  const resourceResults = results.resultType === "single" ? [results.result] : results.results;
  const ignored = resourceResults.flatMap((r) => r.ignoredContextKeys ?? []);
  if (ignored.length > 0 && !p.resourcePolicy) return unsafeDecision(p);
  if (ignored.length > 0 && p.resourcePolicy && options.surrogate !== false) return surrogateDecision(request, ignored);
  if (resourceResults.length === 0) {
    return { result: results.overallResult, reasons: ["the simulator found no resource pattern to evaluate"], ignoredContextKeys: [] };
  }
  return decisionFromAnalyses(
    p,
    results.overallResult,
    resourceResults.map((r) => r.analysis),
    ignored,
  );
}

/**
 * The simulator drops context keys it does not match to the action, templated ones with a ":"
 * inside among them (kms:EncryptionContext:PARAMETER_ARN on kms:Decrypt), and with a resource policy
 * it cannot fall back to the unchecked run. The key's name only serves to look its value up, so
 * each dropped key is renamed, in the request and in every policy alike, to a global key the
 * simulator always accepts (a principal tag no real request carries), and the request is run again:
 * operators and values are untouched.
 */
async function surrogateDecision(request: IamRequest, ignored: readonly string[]): Promise<IamDecision> {
  const rename = new Map(ignored.map((key, index) => [key.toLowerCase(), `aws:PrincipalTag/pa-verify-surrogate-${index}`]));
  const renameKey = (key: string) => rename.get(key.toLowerCase()) ?? key;
  const renamePolicy = (named: NamedPolicy): NamedPolicy => ({
    name: named.name,
    policy: {
      ...named.policy,
      Statement: named.policy.Statement.map((statement) =>
        statement.Condition
          ? { ...statement, Condition: Object.fromEntries(Object.entries(statement.Condition).map(([op, keys]) => [op, Object.fromEntries(Object.entries(keys).map(([k, v]) => [renameKey(k), v]))])) }
          : statement,
      ),
    },
  });
  const renamed: IamRequest = {
    ...request,
    context: Object.fromEntries(Object.entries(request.context).map(([k, v]) => [renameKey(k), v])),
    identityPolicies: request.identityPolicies.map(renamePolicy),
    resourcePolicy: request.resourcePolicy ? renamePolicy(request.resourcePolicy) : undefined,
  };
  const decision = await evaluateIam(renamed, { surrogate: false });
  const back = (text: string) => [...rename.entries()].reduce((t, [original, surrogate]) => t.split(surrogate).join(original), text);
  return {
    result: decision.result,
    reasons: [`(${ignored.join(", ")} evaluated under a stand-in name: the simulator's data does not list it for this action)`, ...decision.reasons.map(back)],
    ignoredContextKeys: decision.ignoredContextKeys.map(back),
  };
}
