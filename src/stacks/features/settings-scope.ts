import { SettingsError, SettingsErrors } from "../../../modules/common/settings/parse";
import { ConfigErrors, fromSettingsError } from "../../config/errors";
import type { EnvironmentConfig } from "../../config/load";

/**
 * Builds a module from the section of the environment file at `prefix`; a module refusing its
 * settings is reported as the file and field that hold them (`dev.yaml: dataTier.cache.nodes …`).
 */
export function fromSection<T>(env: Pick<EnvironmentConfig, "file">, prefix: readonly PropertyKey[], build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof SettingsError) throw new ConfigErrors([fromSettingsError(env.file, prefix, error)]);
    if (error instanceof SettingsErrors) throw new ConfigErrors(error.errors.map((e) => fromSettingsError(env.file, prefix, e)));
    throw error;
  }
}
