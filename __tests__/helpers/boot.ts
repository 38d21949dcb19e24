import type { BootPart } from "../../modules/common/boot/boot-part";
import { BootManifest, bootManifest } from "../../modules/common/boot/render-user-data";
import { AppServers } from "../../modules/web-tier/app-servers";
import type { Synthesized } from "./synth";

/** The boot facts the app servers' launch template records (Testing.synth strips `//` comments, so from the construct). */
export function bootManifestOf(synthesized: Synthesized): BootManifest {
  const servers = appServersOf(synthesized);
  return bootManifest(servers.parts, servers.renderUserData());
}

function appServersOf(synthesized: Synthesized): AppServers {
  const servers = synthesized.stack.node.findAll().find((c): c is AppServers => c instanceof AppServers);
  if (!servers) throw new Error("the stack has no app servers");
  return servers;
}

/** The app servers' boot parts (files, units, packages) as the stack built them. */
export function bootPartsOf(synthesized: Synthesized): readonly BootPart[] {
  return appServersOf(synthesized).parts;
}
