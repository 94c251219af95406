/**
 * Deleting one model version from the CLI (`ferry model delete NAME VERSION --archive`, `ferry prune`): archive it first
 * unless it is archived already — the server refuses, with the reason, a version an alias names or an endpoint routes
 * to — then delete it. Two ordinary API calls, each authorized and audited by the server; a refusal (409) of either is
 * an outcome with the server's reason, any other failure throws.
 */
import { failure, type apiClient } from "./ferry-api-client";

export type DeleteVersionOutcome = { deleted: true; bytes: number } | { deleted: false; reason: string };

export async function archiveAndDeleteVersion(
  api: ReturnType<typeof apiClient>,
  model: string,
  version: number,
  o: { archived: boolean },
): Promise<DeleteVersionOutcome> {
  const path = `/api/models/${encodeURIComponent(model)}/versions/${version}`;
  if (!o.archived) {
    const archived = await api.request("PATCH", path, { json: { status: "archived" } });
    if (archived.status === 409) return { deleted: false, reason: String(archived.data.error) };
    if (!archived.ok) throw failure(archived.status, archived.data);
  }
  const deleted = await api.request("DELETE", path);
  // 409: the version is not archived (nor was it archived here).
  if (deleted.status === 409) return { deleted: false, reason: String(deleted.data.error) };
  if (!deleted.ok) throw failure(deleted.status, deleted.data);
  return { deleted: true, bytes: Number((deleted.data.artifacts as { bytes?: number } | undefined)?.bytes ?? 0) };
}
