/**
 * `PUT /api/endpoints/{name}/settings/{kind}` replaces an endpoint's drift or alert settings (only the keys given
 * override the defaults; `{}` or DELETE goes back to the defaults). The body is validated with the same schema the
 * jobs read with, so a stored value never silently falls back; feature overrides must name a feature of a version
 * the endpoint serves. Stored as given (ISO dates stay strings), audited with before/after in the same transaction.
 */
import type { Actor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db/client";
import { badRequest, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { SETTING_SPECS, settingView, type EndpointSettingView, type SettingKind } from "./endpoint-settings";
import { knownDriftFeatures } from "./known-drift-features";

export interface PutEndpointSettingsOptions {
  db: Db;
  endpointName: string;
  kind: SettingKind;
  /** The new settings; null resets to the defaults. */
  body: unknown;
  actor: Actor;
}

export async function putEndpointSettings(o: PutEndpointSettingsOptions): Promise<EndpointSettingView> {
  const spec = SETTING_SPECS[o.kind];
  const key = spec.key(o.endpointName);
  if (o.body !== null) {
    const parsed = spec.schema.safeParse(o.body);
    if (!parsed.success) {
      throw badRequest(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; "));
    }
  }
  return o.db.$transaction(async (tx) => {
    const endpoint = await tx.endpoint.findUnique({ where: { name: o.endpointName }, select: { id: true, config: true } });
    if (!endpoint) throw notFound(`endpoint "${o.endpointName}" does not exist`);
    if (o.kind === "drift" && o.body !== null) await checkFeatureNames(tx, endpoint.config, o.body);
    const before = await tx.setting.findUnique({ where: { key } });
    const row =
      o.body === null
        ? (await tx.setting.deleteMany({ where: { key } }), null)
        : await tx.setting.upsert({
            where: { key },
            create: { key, value: o.body as Prisma.InputJsonValue },
            update: { value: o.body as Prisma.InputJsonValue },
          });
    await recordAudit(tx, o.actor, {
      action: o.body === null ? "endpoint.settings.reset" : "endpoint.settings.update",
      objectType: "endpoint",
      // By name, as every other endpoint event: the audit page filters and links objects by it.
      objectId: o.endpointName,
      before: { kind: o.kind, value: before?.value ?? null },
      after: { kind: o.kind, value: row?.value ?? null },
    });
    return settingView(o.kind, row);
  });
}

/** A per-feature override for a feature no served version has is a typo: refuse it and list the real names. */
async function checkFeatureNames(tx: Parameters<typeof knownDriftFeatures>[0], config: unknown, body: unknown): Promise<void> {
  const overrides = Object.keys((body as { features?: Record<string, unknown> }).features ?? {});
  if (overrides.length === 0) return;
  const known = await knownDriftFeatures(tx, config);
  if (known === null) return; // nothing to check against (no version with a known signature yet)
  const unknown = overrides.filter((f) => !known.has(f));
  if (unknown.length > 0) {
    throw badRequest(
      `features: ${unknown.map((f) => `"${f}"`).join(", ")} ${unknown.length === 1 ? "is not a feature" : "are not features"} of the versions this endpoint serves; known: ${[...known].join(", ")}`,
    );
  }
}
