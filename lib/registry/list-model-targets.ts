/** Every model with what an endpoint could route to: its versions (with status) and its aliases. For the "new endpoint" form. */
import type { Db } from "@/lib/db/client";

export interface ModelTargets {
  name: string;
  /** Newest first. */
  versions: { version: number; status: string }[];
  aliases: { name: string; version: number }[];
}

export async function listModelTargets(o: { db: Db; limit?: number }): Promise<ModelTargets[]> {
  const models = await o.db.model.findMany({
    select: {
      name: true,
      versions: { select: { version: true, status: true }, orderBy: { version: "desc" } },
      aliases: { select: { name: true, version: { select: { version: true } } }, orderBy: { name: "asc" } },
    },
    orderBy: { name: "asc" },
    take: Math.min(o.limit ?? 500, 500),
  });
  return models.map((m) => ({ name: m.name, versions: m.versions, aliases: m.aliases.map((a) => ({ name: a.name, version: a.version.version })) }));
}
