import fs from "node:fs";
import { test, expect, type APIRequestContext } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";
import { hiddenTableWidth, pageOverflow } from "./layout";
import { buildMlp } from "../lib/onnx/build-model";
import { demoRows } from "../lib/demo/demo-data";
import { formatScore } from "../lib/drift/format-score";
import { methodLabel } from "../lib/drift/select-method";

const INFERENCE = `http://127.0.0.1:${process.env.E2E_INFERENCE_PORT ?? 8210}`;
const FEATURES = 8;

function csv(rows: number[][]): string {
  return [Array.from({ length: FEATURES }, (_, i) => `f${i}`).join(","), ...rows.map((r) => r.join(","))].join("\n") + "\n";
}

async function ok<T = Record<string, unknown>>(res: Awaited<ReturnType<APIRequestContext["get"]>>): Promise<T> {
  if (!res.ok()) throw new Error(`${res.url()} → ${res.status()}: ${await res.text()}`);
  return (await res.json()) as T;
}

test("shifted live traffic is flagged as drift, raises an alert that is reviewed, and the charts draw the traffic", async ({ page, request }) => {
  test.setTimeout(240_000);
  const name = `drift-${Date.now()}`;
  const { secret } = await ok<{ secret: string }>(await request.post("/api/tokens", { data: { name: `${name}-infer`, role: "operator", scopes: ["read", "write", "infer"] } }));

  // A reference of 1500 rows: Evidently's defaults then judge numeric features by normed Wasserstein ≥ 0.1.
  await ok(
    await request.post(`/api/models/${name}/versions`, {
      multipart: {
        file: { name: "model.onnx", mimeType: "application/octet-stream", buffer: Buffer.from(buildMlp({ inputs: FEATURES, hidden: 16, outputs: 3, seed: 5 })) },
        reference: { name: "reference.csv", mimeType: "text/csv", buffer: Buffer.from(csv(demoRows(1500, 101))) },
      },
    }),
  );
  await ok(await request.put(`/api/endpoints/${name}`, { data: { model: name, variants: [{ name: "main", version: 1, weight: 100 }] } }));
  await expect.poll(async () => (await request.get(`${INFERENCE}/v2/models/${name}/ready`, { headers: { authorization: `Bearer ${secret}` } })).status(), { timeout: 30_000 }).toBe(200);

  // 600 requests, features f2 and f5 shifted by two standard deviations.
  // Seed 207: its unshifted features sit well under the 0.1 threshold (max 0.054 on the raw data); with 600 rows
  // against 1500, sampling noise alone reaches 0.08–0.095 for some seeds, too close to the line for a test.
  const rows = demoRows(600, 207, { features: [2, 5], by: 2 });
  for (let i = 0; i < rows.length; i += 20) {
    const answers = await Promise.all(
      rows.slice(i, i + 20).map((row) =>
        request.post(`${INFERENCE}/v2/models/${name}/infer`, {
          headers: { authorization: `Bearer ${secret}` },
          data: { inputs: [{ name: "x", datatype: "FP32", shape: [1, FEATURES], data: row }] },
        }),
      ),
    );
    for (const a of answers) expect(a.status()).toBe(200);
  }

  // The data plane flushes rollups and sketches every few seconds; evaluate once they are in. The default window
  // ends at the start of the current minute, so rows sent in it count only once it is over: wait a whole minute plus
  // a flush (with 60 s, rows that landed just after a minute boundary were still out when the poll gave up).
  let report: { rows: number; datasetDrift: boolean; features: Array<{ name: string; drifted: boolean }> } = { rows: 0, datasetDrift: false, features: [] };
  await expect
    .poll(
      async () => {
        report = await ok(await request.post(`/api/endpoints/${name}/drift/evaluate`, { data: {} }));
        return report.rows;
      },
      { timeout: 90_000, intervals: [2_000] },
    )
    .toBe(600);
  const flagged = report.features.filter((f) => f.drifted).map((f) => f.name).sort();
  expect(flagged).toEqual(["f2", "f5"]);
  expect(report.features.filter((f) => f.name.startsWith("f"))).toHaveLength(FEATURES);

  const alerts = await ok<{ alerts: Array<{ id: string; signal: string; feature: string; status: string }> }>(
    await request.get(`/api/alerts?endpoint=${name}&signal=drift`),
  );
  const alert = alerts.alerts.find((a) => a.feature === "f2");
  expect(alert, "a drift alert for f2").toBeTruthy();

  // Review it in the browser: acknowledge, comment, resolve.
  await page.goto(`/alerts/${alert!.id}`);
  await expect(page.getByTestId("alert-status")).toHaveText("open");
  // What the rule saw reads in words, from the stored context: the test by name, a p-value as the drift page writes it.
  const context = page.getByTestId("alert-context");
  const contextRow = (label: string) => context.locator("div", { has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) });
  const stored = await ok<{ context: { method: string; stats: { ks_pvalue: number } } }>(await request.get(`/api/alerts/${alert!.id}`));
  await expect(contextRow("Test")).toHaveText(`Test${methodLabel(stored.context.method)}`);
  expect(stored.context.stats.ks_pvalue).toBeLessThan(0.05);
  await expect(contextRow("KS p-value")).toHaveText(`KS p-value${formatScore(stored.context.stats.ks_pvalue)}`);
  await page.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByTestId("alert-status")).toHaveText("acknowledged");
  await page.getByRole("textbox").last().fill("Upstream feature pipeline changed units; retraining.");
  await page.getByRole("button", { name: "Add comment" }).click();
  await expect(page.getByText("Upstream feature pipeline changed units; retraining.")).toBeVisible();
  await page.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByTestId("alert-status")).toHaveText("resolved");
  await page.screenshot({ path: "test-results/screens/alert.png", fullPage: true });

  // The drift view flags the same features.
  await page.goto(`/endpoints/${name}/drift`);
  await expect(page.getByTestId("drift-row-f2")).toHaveAttribute("data-drifted", "true");
  await expect(page.getByTestId("drift-row-f0")).toHaveAttribute("data-drifted", "false");
  await expect(page.getByTestId("drift-histogram")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/drift.png", fullPage: true });
  // The feature table shows every column in a 1280-px window (a common laptop), without a horizontal scroll.
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(await hiddenTableWidth(page.getByTestId("drift-table"))).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1400, height: 900 });

  // A per-feature override set in the settings form decides the next evaluation: PSI ≥ 1000 never fires on f2.
  await page.getByLabel("test for f2").selectOption("psi");
  await page.getByLabel("threshold for f2").fill("1000");
  await page.getByTestId("save-drift-settings").click();
  await expect(page.getByText("Saved. The next evaluation uses these settings.")).toBeVisible();
  await page.getByTestId("drift-evaluate").click();
  await expect(page.getByTestId("drift-row-f2")).toHaveAttribute("data-drifted", "false");
  await page.reload();
  await expect(page.getByLabel("threshold for f2")).toHaveValue("1000");
  await page.screenshot({ path: "test-results/screens/drift-settings.png", fullPage: true });

  // The monitoring charts draw a series for the version that served.
  await page.goto(`/monitoring/${name}?range=15m`);
  await expect(page.getByTestId("chart-throughput").locator('path.recharts-line-curve[data-series="v1"]')).toHaveCount(1, { timeout: 30_000 });
  // All the traffic fell in a minute or two, so a series may be a single point: assert it has drawn coordinates.
  await expect(page.getByTestId("chart-latency").locator('path.recharts-line-curve[data-series^="v1"]').first()).toHaveAttribute("d", /M[\d.]+,[\d.]+/);
  const d = await page.getByTestId("chart-throughput").locator('path.recharts-line-curve[data-series="v1"]').getAttribute("d");
  expect(d && d.length).toBeGreaterThan(10);
  // Something visible is drawn: a line segment, or a dot for a minute with gaps on both sides.
  const visible = await page.getByTestId("chart-throughput").evaluate((el) =>
    Boolean(el.querySelector('[data-isolated-point="v1"]')) || /L/.test(el.querySelector('path.recharts-line-curve[data-series="v1"]')?.getAttribute("d") ?? ""),
  );
  expect(visible).toBe(true);
  await page.screenshot({ path: "test-results/screens/monitoring.png", fullPage: true });
});

test("the demo endpoint's logged predictions can be read, filtered, opened, downloaded and given ground truth", async ({ page, request }) => {
  // The demo's live traffic is logged at the default sample rate; its rows are written a few seconds after: wait until
  // the count holds still.
  const count = async () => (await ok<{ predictions: unknown[] }>(await request.get("/api/endpoints/demo/predictions?limit=200"))).predictions.length;
  let last = -1;
  await expect
    .poll(async () => {
      const [before, now] = [last, await count()];
      last = now;
      return now > 0 && now === before;
    }, { timeout: 60_000, intervals: [3_000] })
    .toBe(true);
  const api = await ok<{ predictions: Array<{ requestId: string; version: number; inputs: Array<{ values: number[] }> }> }>(await request.get("/api/endpoints/demo/predictions?limit=50"));

  await page.goto("/endpoints/demo");
  await page.getByRole("link", { name: "Predictions →" }).click();
  await expect(page).toHaveURL(/\/endpoints\/demo\/predictions$/);
  const rows = page.getByTestId("prediction-row");
  await expect(rows).toHaveCount(api.predictions.length);
  await expect(rows.first()).toContainText(api.predictions[0].requestId);
  await expect(rows.first()).toContainText(`x [1,8] ${Number(api.predictions[0].inputs[0].values[0].toPrecision(4))}`);
  for (const width of [1400, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await hiddenTableWidth(page.locator("table").first()), `the predictions table at ${width} px`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 820, height: 900 });
  expect(await pageOverflow(page), "the predictions page at 820 px").toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1400, height: 900 });

  // A row opens to its whole tensors.
  await rows.first().getByRole("button", { name: `Show prediction ${api.predictions[0].requestId}` }).click();
  const detail = page.getByTestId("prediction-detail");
  await expect(detail).toContainText("x · FP32 [1, 8]");
  await expect(detail).toContainText("probs · FP32 [1, 3]");
  await expect(detail).toContainText(JSON.stringify(api.predictions[0].inputs[0].values));

  // Filtered to one version, every row names it.
  const v2 = api.predictions.filter((p) => p.version === 2).length;
  await page.getByLabel("Version").selectOption("2");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/version=2/);
  if (v2 === 0) await expect(page.getByText("No predictions match")).toBeVisible();
  else {
    await expect(rows).toHaveCount(v2);
    for (const text of await rows.allInnerTexts()) expect(text).toMatch(/\bv2\b/);
  }

  // One request found by its id (what a client's x-request-id answer header says); an id not in the log says why.
  await page.goto("/endpoints/demo/predictions");
  const sought = api.predictions[Math.min(2, api.predictions.length - 1)].requestId;
  await page.getByLabel("Request id").fill(sought);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("requestId") === sought);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(sought);
  await page.getByLabel("Request id").fill("no-such-request");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No logged prediction of demo has request id 'no-such-request'")).toBeVisible();

  // The download holds the same rows, one JSON object per line.
  await page.goto("/endpoints/demo/predictions");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download JSONL" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^demo-predictions-.*\.jsonl$/);
  const lines = (await (await download.createReadStream()).toArray()).join("").trimEnd().split("\n").map((l) => JSON.parse(l) as { requestId: string });
  expect(lines.slice(0, api.predictions.length).map((l) => l.requestId)).toEqual(api.predictions.map((p) => p.requestId));

  // Ground truth from a file: read and checked in the browser, bad lines named, sent, then in the Truth column.
  const labelled = api.predictions.slice(0, 3).map((p, i) => [p.requestId, ["cat", "dog", "bird"][i]] as const);
  const csv = ["request_id,label", ...labelled.map(([id, label]) => `${id},${label}`), ",orphan", ""].join("\n");
  const card = page.getByTestId("ground-truth");
  await card.getByLabel("Ground truth file").setInputFiles({ name: "truth.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(card).toContainText("truth.csv: 3 rows to send, 1 left out");
  await expect(card).toContainText("line 5: request_id is empty");
  await card.getByRole("button", { name: "Send 3 labels" }).click();
  await expect(card).toContainText("Stored 3 of 3; 3 match logged predictions.");
  for (const [id, label] of labelled) {
    await expect(rows.filter({ hasText: id }).first()).toContainText(label);
  }
  const truth = await ok<{ predictions: Array<{ requestId: string; feedback: { label: string } | null }> }>(await request.get("/api/endpoints/demo/predictions?limit=50"));
  expect(truth.predictions.filter((p) => p.feedback).map((p) => [p.requestId, p.feedback!.label])).toEqual(labelled.map(([id, l]) => [id, l]));
});

test("several of the demo's alerts are reviewed and assigned at once from the alert list; the audit log names and exports them", async ({ page, request }) => {
  test.setTimeout(180_000);
  // The drift job raises the demo's alerts on f2 and f5 once a minute has passed since the start.
  let open: Array<{ id: string; title: string; status: string }> = [];
  await expect
    .poll(
      async () => {
        const listed = await ok<{ alerts: typeof open }>(await request.get("/api/alerts?endpoint=demo&signal=drift"));
        open = listed.alerts.filter((a) => a.status === "open");
        return open.length;
      },
      { timeout: 150_000, intervals: [2_000] },
    )
    .toBeGreaterThanOrEqual(2);
  await page.goto("/alerts?endpoint=demo&signal=drift");
  const bar = page.getByTestId("alert-bulk-bar");
  await expect(bar.getByRole("button", { name: "Acknowledge" })).toBeDisabled();
  for (const a of open.slice(0, 2)) await page.getByLabel(`Select ${a.title}`).check();
  await expect(bar).toContainText("2 selected");
  await bar.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Acknowledged 2 of 2." })).toBeVisible();
  for (const a of open.slice(0, 2)) {
    await expect(page.getByTestId("alert-row").filter({ hasText: a.title }).getByTestId("alert-status")).toHaveText("acknowledged");
  }
  // The whole page selected, muted for an hour: each alert audited on its own.
  await page.getByLabel("Select every alert on this page").check();
  await bar.getByLabel("Mute selected for").selectOption("60");
  await bar.getByRole("button", { name: "Mute", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Muted \d+ of \d+\.$/ })).toBeVisible();
  const after = await ok<{ alerts: Array<{ id: string; status: string }> }>(await request.get("/api/alerts?endpoint=demo&signal=drift"));
  expect(after.alerts.filter((a) => a.status !== "resolved").every((a) => a.status === "muted")).toBe(true);
  const audit = await ok<{ events: Array<{ action: string; objectId: string }> }>(await request.get("/api/audit?action=alert.mute&limit=50"));
  for (const a of open.slice(0, 2)) expect(audit.events.some((e) => e.objectId === a.id)).toBe(true);

  // The two first alerts assigned to someone from the bar: the line names them, the rows and the API show it.
  for (const a of open.slice(0, 2)) await page.getByLabel(`Select ${a.title}`).check();
  const assignTo = bar.getByLabel("Assign selected to");
  await assignTo.selectOption({ index: 1 });
  const who = (await assignTo.locator("option:checked").textContent())!;
  await bar.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Assigned 2 of 2 to ${who}.` })).toBeVisible();
  const assigned = await ok<{ alerts: Array<{ id: string; assignee: { email: string } | null }> }>(await request.get("/api/alerts?endpoint=demo&signal=drift"));
  for (const a of open.slice(0, 2)) {
    const email = assigned.alerts.find((x) => x.id === a.id)?.assignee?.email;
    expect(email && who.includes(email)).toBeTruthy();
    const cell = page.getByTestId("alert-row").filter({ hasText: a.title }).locator("td").last();
    await expect(cell).not.toHaveText("—");
    expect(who).toContain((await cell.textContent())!.trim());
  }
  // The list filtered by that assignee shows exactly those two.
  const filters = page.getByRole("search", { name: "Filter alerts" });
  await filters.getByLabel("Assignee").selectOption({ label: who });
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/assignee=/);
  await expect(page.getByTestId("alert-row")).toHaveCount(2);
  for (const a of open.slice(0, 2)) await expect(page.getByTestId("alert-row").filter({ hasText: a.title })).toHaveCount(1);
  // Assigned to the signed-in admin, they show on the Overview, which links to them.
  const users = await ok<{ users: Array<{ id: string; email: string }> }>(await request.get("/api/users"));
  const me = users.users.find((u) => u.email === E2E_ADMIN.email)!;
  await ok(await request.post("/api/alerts/review", { data: { ids: open.slice(0, 2).map((a) => a.id), step: "assign", userId: me.id } }));
  await page.goto("/");
  const mine = page.getByRole("link", { name: /Open alerts/ });
  await expect(mine).toContainText(/\d+ assigned to you/);
  await expect(mine).toHaveAttribute("href", "/alerts?assignee=me");
  // The audit log names the alerts by their titles, linked to them (the events hold only their ids).
  await page.goto("/audit?action=alert.assign");
  for (const a of open.slice(0, 2)) await expect(page.getByRole("link", { name: a.title, exact: true }).first()).toHaveAttribute("href", `/alerts/${a.id}`);
  // And downloads what the filter shows, one event a line.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download JSONL" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^ferry-audit-.*\.jsonl$/);
  const lines = fs.readFileSync((await download.path())!, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as { action: string; objectId: string });
  expect(lines.every((e) => e.action === "alert.assign")).toBe(true);
  for (const a of open.slice(0, 2)) expect(lines.some((e) => e.objectId === a.id)).toBe(true);
});

test("an admin adds a Slack webhook from Settings: a Slack URL picks the Slack message format", async ({ page, request }) => {
  const name = `slack-${Date.now()}`;
  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Add webhook" });
  // The URL first, until the format it picks shows the form has hydrated (what is typed before that, React resets).
  await expect(async () => {
    await form.getByLabel("URL").fill("https://hooks.slack.com/services/T0/B0/e2e");
    await expect(form.getByLabel("Sends")).toHaveValue("slack", { timeout: 1_000 });
  }).toPass();
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByTestId("webhook-secret")).toBeVisible();
  const row = page.getByRole("table", { name: "Webhooks" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("as Slack messages");
  const listed = await ok<{ webhooks: Array<{ id: string; name: string; format: string }> }>(await request.get("/api/webhooks"));
  const hook = listed.webhooks.find((w) => w.name === name)!;
  expect(hook.format).toBe("slack");
  // Not left behind for other tests' alerts to be sent to.
  expect((await request.delete(`/api/webhooks/${hook.id}`)).status()).toBe(204);
});
