/** Edits a model's description, tags and approval gate (audited). */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { parseModelName } from "./model-name";
import { lockModel } from "./lock-model";

export interface ModelPatch {
  description?: string;
  tags?: string[];
  requireApproval?: boolean;
}

export async function updateModel(o: { db: Db; actor: Actor; name: string; patch: ModelPatch }) {
  const name = parseModelName(o.name);
  await o.db.$transaction(async (tx) => {
    const before = await lockModel(tx, name);
    const tags = o.patch.tags ? [...new Set(o.patch.tags.map((t) => t.trim().toLowerCase()).filter(Boolean))] : undefined;
    const after = await tx.model.update({
      where: { id: before.id },
      data: { description: o.patch.description, tags, requireApproval: o.patch.requireApproval },
    });
    await recordAudit(tx, o.actor, {
      action: "model.update",
      objectType: "model",
      objectId: name,
      before: { description: before.description, tags: before.tags, requireApproval: before.requireApproval },
      after: { description: after.description, tags: after.tags, requireApproval: after.requireApproval },
    });
  });
}
