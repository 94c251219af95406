/** The models list: each model with its latest version, aliases, the endpoints serving it and its last upload. */
import type { Db } from "@/lib/db/client";

export interface ModelListItem {
  name: string;
  description: string;
  tags: string[];
  requireApproval: boolean;
  versionCount: number;
  latest: { version: number; status: string; sizeBytes: number; createdAt: string } | null;
  aliases: { name: string; version: number }[];
  endpoints: string[];
  lastUploadAt: string | null;
  lastUploadBy: string | null;
}

export async function listModels(o: { db: Db; q?: string; limit?: number }): Promise<ModelListItem[]> {
  const q = o.q?.trim();
  const models = await o.db.model.findMany({
    where: q
      ? {
          OR: [
            { name: { contains: q, mode: "insensitive" } },
            { description: { contains: q, mode: "insensitive" } },
            { tags: { has: q.toLowerCase() } },
          ],
        }
      : undefined,
    include: {
      versions: { orderBy: { version: "desc" }, take: 1 },
      aliases: { include: { version: { select: { version: true } } }, orderBy: { name: "asc" } },
      endpoints: { select: { name: true }, orderBy: { name: "asc" } },
      _count: { select: { versions: true } },
    },
    take: Math.min(o.limit ?? 200, 500),
  });
  const items = models.map((m): ModelListItem => {
    const v = m.versions[0];
    return {
      name: m.name,
      description: m.description,
      tags: m.tags,
      requireApproval: m.requireApproval,
      versionCount: m._count.versions,
      latest: v ? { version: v.version, status: v.status, sizeBytes: Number(v.sizeBytes), createdAt: v.createdAt.toISOString() } : null,
      aliases: m.aliases.map((a) => ({ name: a.name, version: a.version.version })),
      endpoints: m.endpoints.map((e) => e.name),
      lastUploadAt: v ? v.createdAt.toISOString() : null,
      lastUploadBy: v?.uploadedByLabel ?? null,
    };
  });
  return items.sort((a, b) => (b.lastUploadAt ?? "").localeCompare(a.lastUploadAt ?? "") || a.name.localeCompare(b.name));
}
