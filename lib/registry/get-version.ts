/** One version of a model, with its aliases and the endpoints that route to it. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { parseModelName, parseVersionNumber } from "./model-name";
import { versionJson } from "./version-json";
import { routesToVersion } from "./endpoint-references";

export async function getVersion(o: { db: Db; name: string; version: number | string }) {
  const name = parseModelName(o.name);
  const version = parseVersionNumber(o.version);
  const m = await o.db.model.findUnique({
    where: { name },
    include: {
      aliases: { include: { version: { select: { version: true } } } },
      endpoints: { select: { name: true, config: true } },
    },
  });
  if (!m) throw notFound(`model '${name}' not found`);
  const v = await o.db.modelVersion.findUnique({ where: { modelId_version: { modelId: m.id, version } } });
  if (!v) throw notFound(`model '${name}' has no version ${version}`);
  const targets = new Map(m.aliases.map((a) => [a.name, a.version.version]));
  return {
    ...versionJson(name, v, m.aliases.filter((a) => a.version.version === version).map((a) => a.name)),
    storageKey: v.storageKey,
    referenceKey: v.referenceKey,
    endpoints: m.endpoints.filter((e) => routesToVersion(e.config, version, targets)).map((e) => e.name),
  };
}

export type VersionDetail = Awaited<ReturnType<typeof getVersion>>;
