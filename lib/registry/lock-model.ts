/**
 * Locks a model's row for the rest of the transaction: every alias move, promotion decision and archive of one
 * model runs one at a time, so concurrent promotions of the same alias cannot interleave their history.
 */
import type { Tx } from "@/lib/db/client";
import { notFound } from "@/lib/errors";

export async function lockModel(tx: Tx, name: string) {
  const model = await tx.model.findUnique({ where: { name } });
  if (!model) throw notFound(`model '${name}' not found`);
  await tx.$queryRaw`SELECT id FROM "Model" WHERE id = ${model.id} FOR UPDATE`;
  // Re-read under the lock: requireApproval may have changed while we waited.
  return (await tx.model.findUniqueOrThrow({ where: { id: model.id } }));
}
