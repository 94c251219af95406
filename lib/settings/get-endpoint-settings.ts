/** `GET /api/endpoints/{name}/settings`: the endpoint's drift and alert settings, stored and effective. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { SETTING_KINDS, SETTING_SPECS, settingView, type EndpointSettingView, type SettingKind } from "./endpoint-settings";

export async function getEndpointSettings(o: { db: Db; endpointName: string }): Promise<Record<SettingKind, EndpointSettingView>> {
  const endpoint = await o.db.endpoint.findUnique({ where: { name: o.endpointName }, select: { id: true } });
  if (!endpoint) throw notFound(`endpoint "${o.endpointName}" does not exist`);
  const keys = SETTING_KINDS.map((k) => SETTING_SPECS[k].key(o.endpointName));
  const rows = new Map((await o.db.setting.findMany({ where: { key: { in: keys } } })).map((r) => [r.key, r]));
  const views = SETTING_KINDS.map((k) => [k, settingView(k, rows.get(SETTING_SPECS[k].key(o.endpointName)) ?? null)] as const);
  return Object.fromEntries(views) as Record<SettingKind, EndpointSettingView>;
}
