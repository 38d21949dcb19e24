import { recordedFacts } from "../../modules/common/markers";
import { BootManifest, ManifestPart, bootScriptHash } from "../../modules/common/boot/render-user-data";
import type { PartFacts } from "../../modules/common/boot/boot-part";
import { Hop, hop } from "./proof";
import type { InstanceKind } from "./instances";

/**
 * What an instance's boot establishes, read from the facts its launch template records (never
 * from the script's text). The facts count only while the user data is the script they describe:
 * its sha256 is recorded beside them.
 */
export interface BootFacts {
  readonly manifest?: BootManifest;
  /** The user data is the rendering the facts describe. */
  readonly matches: boolean;
  /** Why the facts cannot be used, when they cannot. */
  readonly problem?: string;
}

export function bootFactsOf(kind: InstanceKind): BootFacts {
  const manifest = kind.launchTemplate ? recordedFacts(kind.launchTemplate.config).boot : undefined;
  if (!manifest) return { matches: false, problem: kind.userData ? "the boot script records no facts (not rendered from parts)" : "no boot script" };
  if (kind.userData === undefined) return { manifest, matches: false, problem: "the launch template has no user data to match its recorded boot facts" };
  const actual = bootScriptHash(kind.userData);
  return actual === manifest.sha256
    ? { manifest, matches: true }
    : { manifest, matches: false, problem: `the user data (sha256 ${actual.slice(0, 12)}…) is not the script its recorded parts render (${manifest.sha256.slice(0, 12)}…): it was edited after synth` };
}

/** The hop every boot-derived proof starts from. */
export function bootMatchesHop(kind: InstanceKind, facts: BootFacts): Hop {
  return hop(`${kind.label}'s user data is the script its recorded boot parts describe`, facts.matches, facts.matches ? `${facts.manifest!.parts.length} part(s): ${facts.manifest!.parts.map((p) => p.name).join(", ")}; each runs on its own (log ${facts.manifest!.log})` : facts.problem!);
}

/** The parts whose facts are known (the user's own scripts are not). */
export function knownParts(facts: BootFacts): readonly ManifestPart[] {
  return facts.matches ? facts.manifest!.parts.filter((p) => !p.opaque) : [];
}

/** The user's own scripts, by name (what depends on them is unproven, never assumed). */
export function opaqueParts(facts: BootFacts): readonly ManifestPart[] {
  return facts.manifest?.parts.filter((p) => p.opaque) ?? [];
}

export function partsWith<K extends keyof PartFacts>(facts: BootFacts, key: K): { part: ManifestPart; value: NonNullable<PartFacts[K]> }[] {
  return knownParts(facts)
    .filter((part) => part.facts[key] !== undefined)
    .map((part) => ({ part, value: part.facts[key] as NonNullable<PartFacts[K]> }));
}
