/**
 * Which endpoints route to what: read from an endpoint's routing config (`variants[].alias|version`,
 * `shadow.alias|version`). Read loosely on purpose — the registry must find references even in a config written by
 * an older schema. Pure.
 */
export interface ConfigReferences {
  aliases: Set<string>;
  versions: Set<number>;
}

export function configReferences(config: unknown): ConfigReferences {
  const refs: ConfigReferences = { aliases: new Set(), versions: new Set() };
  const add = (t: unknown) => {
    if (!t || typeof t !== "object") return;
    const { alias, version } = t as { alias?: unknown; version?: unknown };
    if (typeof alias === "string") refs.aliases.add(alias);
    if (typeof version === "number") refs.versions.add(version);
  };
  const c = (config ?? {}) as { variants?: unknown; shadow?: unknown };
  if (Array.isArray(c.variants)) c.variants.forEach(add);
  add(c.shadow);
  return refs;
}

/** True when the endpoint's config routes (or shadows) to `version`, directly or through an alias now pointing at it. */
export function routesToVersion(config: unknown, version: number, aliasTargets: Map<string, number>): boolean {
  const refs = configReferences(config);
  if (refs.versions.has(version)) return true;
  for (const a of refs.aliases) if (aliasTargets.get(a) === version) return true;
  return false;
}
