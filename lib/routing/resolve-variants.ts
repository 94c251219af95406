/**
 * Turns an endpoint's variants (and shadow, and canary candidate) into concrete version numbers using the model's
 * current aliases. The control plane calls it before saving (so a typo in an alias is a 400, not a dark
 * endpoint) and the data plane on every reload (so an alias variant follows promotions). Pure.
 */
import { badRequest } from "@/lib/errors";
import type { EndpointConfig } from "./endpoint-config.schema";

export interface ResolvedVariants {
  /** variant name → version number. */
  variantVersions: Record<string, number>;
  shadowVersion?: number;
  /** The canary's candidate version, when a rollout is configured. */
  candidateVersion?: number;
}

export interface ResolveVariantsOptions {
  /** The model's existing version numbers; when given, pinned versions are checked against them too. */
  versions?: readonly number[];
}

/** Throws a 400 naming every variant whose alias (or version) does not exist, with the ones that do. */
export function resolveVariants(
  config: Pick<EndpointConfig, "model" | "variants" | "shadow" | "rollout">,
  aliases: Readonly<Record<string, number>>,
  options: ResolveVariantsOptions = {},
): ResolvedVariants {
  const problems: { path: string; message: string }[] = [];
  const aliasNames = Object.keys(aliases).sort();
  const model = `model "${config.model}"`;

  const resolve = (target: { version?: number; alias?: string }, path: string): number | undefined => {
    if (target.alias !== undefined) {
      // Own properties only: "constructor" is a valid alias name.
      if (Object.hasOwn(aliases, target.alias)) return aliases[target.alias];
      const known = aliasNames.length
        ? `its aliases: ${aliasNames.map((a) => `"${a}" → v${aliases[a]}`).join(", ")}`
        : "it has no aliases yet; promote a version first";
      problems.push({ path: `${path}.alias`, message: `${model} has no alias "${target.alias}" (${known})` });
      return undefined;
    }
    if (target.version === undefined) {
      problems.push({ path, message: 'needs a "version" or an "alias"' });
      return undefined;
    }
    if (options.versions && !options.versions.includes(target.version)) {
      const latest = options.versions.length ? `latest is v${Math.max(...options.versions)}` : "it has no versions yet";
      problems.push({ path: `${path}.version`, message: `${model} has no version ${target.version} (${latest})` });
      return undefined;
    }
    return target.version;
  };

  const variantVersions: Record<string, number> = {};
  config.variants.forEach((variant, i) => {
    const version = resolve(variant, `variants[${i}]`);
    if (version !== undefined) variantVersions[variant.name] = version;
  });
  const resolved: ResolvedVariants = { variantVersions };
  if (config.shadow) {
    const version = resolve(config.shadow, "shadow");
    if (version !== undefined) resolved.shadowVersion = version;
  }
  const rollout = config.rollout;
  if (rollout) {
    if (rollout.candidateVariant !== undefined) {
      if (Object.hasOwn(variantVersions, rollout.candidateVariant)) {
        resolved.candidateVersion = variantVersions[rollout.candidateVariant];
      }
    } else if (rollout.candidateVersion !== undefined) {
      const version = rollout.candidateVersion;
      if (options.versions && !options.versions.includes(version)) {
        problems.push({ path: "rollout.candidateVersion", message: `${model} has no version ${version}` });
      } else resolved.candidateVersion = version;
    }
  }
  if (problems.length > 0) {
    throw badRequest(problems.map((p) => `${p.path}: ${p.message}`).join("; "), { issues: problems });
  }
  return resolved;
}
