/**
 * First-start demo: a model with two versions and a reference dataset, an endpoint with an 80/20 split, a day of
 * per-minute history and some live traffic, so every page and chart has data. It drives the public API exactly as
 * a CI pipeline would (with a short-lived token it revokes afterwards); only the past day — rollups, drift sketches and
 * the drift reports evaluated from them — is written directly, since history cannot be sent through the data plane.
 */
import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { revokeApiToken } from "@/lib/tokens/revoke-api-token";
import { DEMO_ENDPOINT, DEMO_LABELS, DEMO_MODEL, DEMO_SHIFT, DEMO_SHIFTED_FEATURES, demoModelBytes, demoReferenceCsv, demoRows } from "./demo-data";
import { seedDriftHistory } from "./synthesize-drift-history";
import { synthesizeRollups } from "./synthesize-rollups";

const SEEDED_KEY = "demo.seeded";

export async function shouldSeedDemo(): Promise<boolean> {
  const c = config();
  if (c.demo === false) return false;
  const db = await getDb();
  if (await db.setting.findUnique({ where: { key: SEEDED_KEY } })) return false;
  if (c.demo === true) return true;
  return c.embedded && (await db.model.count()) === 0;
}

async function call(base: string, token: string, method: string, path: string, body?: BodyInit, json = true, signal?: AbortSignal) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(json && body ? { "content-type": "application/json" } : {}) },
    body,
    signal,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/**
 * `signal` stops the seed between steps and cancels its requests (Ctrl-C during the first `ferry start`): the seed
 * then rejects with an AbortError after revoking its token, without marking itself done. What it wrote stays (the
 * next start seeds again only if no model was uploaded yet).
 */
export async function seedDemo(opts: { log: (m: string) => void; dashboardUrl?: string; inferenceUrl?: string; signal?: AbortSignal }) {
  const c = config();
  const signal = opts.signal;
  signal?.throwIfAborted();
  const db = await getDb();
  const dashboard = opts.dashboardUrl ?? `http://127.0.0.1:${c.port}`;
  const inference = opts.inferenceUrl ?? c.inferenceUrl;
  const { token, secret } = await createApiToken({ db, name: "demo-seed", role: "admin", scopes: ["read", "write", "infer"], actor: SYSTEM_ACTOR, actorRole: "admin" });
  try {
    // Every step goes to this dashboard with the seed's token and can be stopped.
    const api = (method: string, path: string, body: BodyInit, json = true) => call(dashboard, secret, method, path, body, json, signal);
    for (const v of [1, 2] as const) {
      const form = new FormData();
      form.set("file", new Blob([Buffer.from(demoModelBytes(v))]), `demo-v${v}.onnx`);
      form.set("reference", new Blob([demoReferenceCsv()], { type: "text/csv" }), "reference.csv");
      form.set("labels", new Blob([`${DEMO_LABELS.join("\n")}\n`], { type: "text/plain" }), "labels.txt");
      form.set("description", v === 1 ? "Baseline classifier" : "Retrained on last month's data");
      form.set("source", "demo");
      await api("POST", `/api/models/${DEMO_MODEL}/versions`, form, false);
    }
    await api("PUT", `/api/models/${DEMO_MODEL}/aliases/production`, JSON.stringify({ version: 1 }));
    await api("PUT", `/api/models/${DEMO_MODEL}/aliases/staging`, JSON.stringify({ version: 2 }));
    await api(
      "PUT",
      `/api/endpoints/${DEMO_ENDPOINT}`,
      JSON.stringify({
        model: DEMO_MODEL,
        variants: [
          { name: "stable", alias: "production", weight: 80 },
          { name: "candidate", version: 2, weight: 20 },
        ],
      }),
    );
    signal?.throwIfAborted();
    const endpoint = await db.endpoint.findUniqueOrThrow({ where: { name: DEMO_ENDPOINT } });
    const now = new Date();
    await db.metricRollup.createMany({ data: synthesizeRollups({ endpointId: endpoint.id, versions: [1, 2], now }) });
    await seedDriftHistory({ db, endpointName: DEMO_ENDPOINT, version: 1, now });
    opts.log("demo: model 'demo-classifier' v1 (production) and v2, endpoint 'demo' (80/20), a day of metrics and drift history");
    await sendLiveTraffic(inference, secret, opts.log, signal);
    signal?.throwIfAborted();
    await db.setting.upsert({ where: { key: SEEDED_KEY }, create: { key: SEEDED_KEY, value: true }, update: { value: true } });
  } finally {
    await revokeApiToken({ db, id: token.id, actor: SYSTEM_ACTOR }).catch(() => {});
  }
}

/** A few hundred live requests, the last third with two features shifted, once the endpoint is warm. */
async function sendLiveTraffic(inference: string, secret: string, log: (m: string) => void, signal?: AbortSignal) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    const r = await fetch(`${inference}/v2/models/${DEMO_ENDPOINT}/ready`, { headers: { authorization: `Bearer ${secret}` }, signal }).catch(() => null);
    if (r?.ok) break;
    await new Promise((res) => setTimeout(res, 250));
  }
  const rows = [...demoRows(200, 11), ...demoRows(100, 12, { features: DEMO_SHIFTED_FEATURES, by: DEMO_SHIFT })];
  let ok = 0;
  for (let i = 0; i < rows.length; i += 10) {
    signal?.throwIfAborted();
    const batch = rows.slice(i, i + 10);
    const results = await Promise.all(
      batch.map((row, j) =>
        fetch(`${inference}/v2/models/${DEMO_ENDPOINT}/infer`, {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "x-user-id": `user-${(i + j) % 37}` },
          body: JSON.stringify({ id: `demo-${i + j}`, inputs: [{ name: "x", datatype: "FP32", shape: [1, row.length], data: row }] }),
          signal,
        }).then((res) => res.ok, () => false),
      ),
    );
    ok += results.filter(Boolean).length;
  }
  log(`demo: sent ${rows.length} live requests (${ok} answered)`);
}
