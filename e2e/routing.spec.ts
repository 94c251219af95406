import { test, expect, type APIRequestContext, type APIResponse } from "@playwright/test";
import { buildImageModel, buildMlp } from "../lib/onnx/build-model";
import { hiddenTableWidth, pageOverflow } from "./layout";

const INFERENCE = `http://127.0.0.1:${process.env.E2E_INFERENCE_PORT ?? 8210}`;

async function ok<T = Record<string, unknown>>(res: APIResponse): Promise<T> {
  if (!res.ok()) throw new Error(`${res.url()} → ${res.status()}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Uploads two versions of an MLP 4→8→2 as `model` (v1, v2), labelled, and returns the secret of a new token with the infer scope. */
async function twoVersionsAndAToken(request: APIRequestContext, model: string): Promise<string> {
  const { secret } = await ok<{ secret: string }>(await request.post("/api/tokens", { data: { name: `${model}-infer`, role: "operator", scopes: ["read", "infer"] } }));
  for (const seed of [1, 2]) {
    await ok(
      await request.post(`/api/models/${model}/versions`, {
        multipart: {
          file: { name: "m.onnx", mimeType: "application/octet-stream", buffer: Buffer.from(buildMlp({ inputs: 4, hidden: 8, outputs: 2, seed })) },
          labels: { name: "labels.txt", mimeType: "text/plain", buffer: Buffer.from("legit\nfraud\n") },
        },
      }),
    );
  }
  return secret;
}

test("weights edited with the sliders take effect, and the experiment view shows the split as traffic flows", async ({ page, request }) => {
  test.setTimeout(180_000);
  const name = `ab-${Date.now()}`;
  const secret = await twoVersionsAndAToken(request, name);
  await ok(
    await request.put(`/api/endpoints/${name}`, {
      data: { model: name, variants: [{ name: "a", version: 1, weight: 50 }, { name: "b", version: 2, weight: 50 }] },
    }),
  );

  await page.goto(`/endpoints/${name}`);
  // No canary yet: the panel says how to start one.
  await expect(page.getByTestId("rollout-empty")).toContainText("Tick “Guarded canary” under Routing");
  const editor = page.getByTestId("routing-editor");
  // Save is enabled once the editor has hydrated: a weight typed before that is reset when React takes the input over.
  await expect(editor.getByRole("button", { name: "Save routing" })).toBeEnabled();
  await editor.getByLabel("Weight for a").fill("80");
  await editor.getByLabel("Weight for b").fill("20");
  await expect(editor.getByTestId("share-a")).toContainText("80");
  await expect(editor.getByTestId("share-b")).toContainText("20");
  await editor.getByRole("button", { name: "Save routing" }).click();
  await expect(editor.getByText(/Saved \(generation 2\)/)).toBeVisible();
  const stored = await ok<{ generation: number; config: { variants: Array<{ name: string; weight: number }> } }>(await request.get(`/api/endpoints/${name}`));
  expect(stored.generation).toBe(2);
  expect(Object.fromEntries(stored.config.variants.map((v) => [v.name, v.weight]))).toEqual({ a: 80, b: 20 });

  // The data plane follows the new generation; then traffic flows.
  const served: Record<string, number> = {};
  await expect
    .poll(async () => {
      const r = await request.get(`${INFERENCE}/v2/models/${name}/ready`, { headers: { authorization: `Bearer ${secret}` } });
      return r.status();
    })
    .toBe(200);
  await page.waitForTimeout(1500);
  for (let i = 0; i < 500; i += 25) {
    const answers = await Promise.all(
      Array.from({ length: 25 }, () =>
        request.post(`${INFERENCE}/v2/models/${name}/infer`, {
          headers: { authorization: `Bearer ${secret}` },
          data: { inputs: [{ name: "x", datatype: "FP32", shape: [1, 4], data: [0.1, 0.2, 0.3, 0.4] }] },
        }),
      ),
    );
    for (const a of answers) {
      expect(a.status()).toBe(200);
      const v = (await a.json()).model_version as string;
      served[v] = (served[v] ?? 0) + 1;
    }
  }
  // 500 draws at 80/20: version 1 gets 400 ± 40 (about 4.5 standard deviations).
  expect(served["1"]).toBeGreaterThan(360);
  expect(served["1"]).toBeLessThan(440);

  // The experiment view counts the same split once the rollups are flushed.
  const count = async (v: number) => Number((await page.getByTestId(`experiment-requests-${v}`).innerText().catch(() => "0")).replace(/\D/g, "") || 0);
  await expect.poll(async () => (await count(1)) + (await count(2)), { timeout: 60_000, intervals: [2_000] }).toBeGreaterThanOrEqual(500);
  expect(await count(1)).toBe(served["1"]);
  expect(await count(2)).toBe(served["2"]);
  // The page's tables fit their cards, at this width and in a 1280-px window: no column behind a horizontal scroll.
  for (const width of [1400, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await hiddenTableWidth(page.getByTestId("experiment-view").locator("table")), `experiment at ${width} px`).toBeLessThanOrEqual(0);
    expect(await hiddenTableWidth(page.getByTestId("variants-table")), `variants at ${width} px`).toBeLessThanOrEqual(0);
  }
  await page.screenshot({ path: "test-results/screens/endpoint.png", fullPage: true });
  // In a narrow or split-screen window (the sidebar a rail of icons) the page keeps to the window's width.
  for (const width of [1024, 820]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await pageOverflow(page), `the endpoint page at ${width} px`).toBeLessThanOrEqual(0);
    expect(await hiddenTableWidth(page.getByTestId("variants-table")), `variants at ${width} px`).toBeLessThanOrEqual(0);
  }
  await page.screenshot({ path: "test-results/screens/endpoint-820.png", fullPage: true });
  await page.setViewportSize({ width: 1400, height: 900 });

  // A version's page shows how to call exactly that version; the command it shows, sent as written, is served by it
  // (routing would send 80 % of requests to v1).
  await page.goto(`/models/${name}/versions/2`);
  const curl = await page.getByTestId("call-version").locator("pre").innerText();
  const url = `${INFERENCE}/v2/models/${name}/versions/2/infer`;
  expect(curl.split("\n")[0]).toBe(`curl -X POST ${url} \\`);
  const body = /-d '(.*)'$/.exec(curl.trim())?.[1];
  expect(body, curl).toBeDefined();
  for (let i = 0; i < 10; i++) {
    const answer = await ok<{ model_version: string }>(await request.post(url, { headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, data: body }));
    expect(answer.model_version).toBe("2");
  }
  // The same call from Python, with Triton's client over gRPC, pinned to the version.
  await page.getByTestId("call-version").getByRole("tab", { name: "Python · gRPC" }).click();
  const python = await page.getByTestId("call-version").getByRole("tabpanel").innerText();
  expect(python).toContain(`client.InferenceServerClient("127.0.0.1:${process.env.E2E_GRPC_PORT ?? 8211}")`);
  // The version has class labels: the program asks for its scores' top classes, which answer with them.
  expect(python).toContain(`outputs.append(client.InferRequestedOutput("probs", class_count=2))`);
  expect(python).toContain(`result = triton.infer("${name}", inputs, model_version="2", outputs=outputs, headers=headers)`);

  // Try it sends one request through the data plane; "Copy as curl" copies a command that sends the same request.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(`/endpoints/${name}`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText(/HTTP 200 · served by v[12]/)).toBeVisible();
  // A classifier's answer is also shown as its top classes, highest first, named by the serving version's labels.
  const classes = page.getByRole("list", { name: "top classes of probs" }).getByRole("listitem");
  await expect(classes).toHaveCount(2);
  const texts = await classes.allInnerTexts();
  const scores = texts.map((t) => Number(/(-?\d+\.\d+)\s*$/.exec(t)?.[1]));
  expect(scores[0]).toBeGreaterThanOrEqual(scores[1]);
  expect(texts.map((t) => t.split(/\s/)[0]).sort()).toEqual(["fraud", "legit"]);
  await page.getByRole("button", { name: "Copy as curl" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.split("\n")[0]).toBe(`curl -X POST ${INFERENCE}/v2/models/${name}/infer \\`);
  const copiedBody = /-d '(.*)'$/.exec(copied.trim())?.[1];
  const viaCurl = await ok<{ model_version: string; outputs: unknown[] }>(
    await request.post(`${INFERENCE}/v2/models/${name}/infer`, { headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, data: copiedBody }),
  );
  expect(["1", "2"]).toContain(viaCurl.model_version);
  expect(viaCurl.outputs).toHaveLength(1);
});

test("Try it fills an ImageNet-sized input instead of typing 150,528 values, and names the top classes by their labels", async ({ page, request }) => {
  test.setTimeout(120_000);
  const name = `image-${Date.now()}`;
  const { secret } = await ok<{ secret: string }>(await request.post("/api/tokens", { data: { name: `${name}-infer`, role: "operator", scopes: ["read", "infer"] } }));
  await ok(
    await request.post(`/api/models/${name}/versions`, {
      multipart: {
        file: { name: "image.onnx", mimeType: "application/octet-stream", buffer: Buffer.from(buildImageModel({ size: 224, classes: 5, seed: 3 })) },
        labels: { name: "labels.txt", mimeType: "text/plain", buffer: Buffer.from("tabby cat\ngolden retriever\nrobin\ngoldfish\ntree frog\n") },
      },
    }),
  );
  await ok(await request.put(`/api/endpoints/${name}`, { data: { model: name, variants: [{ name: "main", version: 1, weight: 100 }] } }));
  await expect.poll(async () => (await request.get(`${INFERENCE}/v2/models/${name}/ready`, { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(200);

  await page.goto(`/endpoints/${name}`);
  const fill = page.getByLabel("image · FP32 [1, 3, 224, 224]");
  await expect(fill).toHaveValue("zeros");
  await expect(page.getByText("150,528 values, too many to type: filled with zeros")).toBeVisible();
  await fill.selectOption("random");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText(/HTTP 200 · served by v1/)).toBeVisible();
  const classes = page.getByRole("list", { name: "top classes of probs" }).getByRole("listitem");
  await expect(classes).toHaveCount(5);
  const labels = (await classes.allInnerTexts()).map((t) => t.replace(/\s*\d+\.\d+\s*$/, "").trim());
  expect(labels.sort()).toEqual(["golden retriever", "goldfish", "robin", "tabby cat", "tree frog"]);
  await page.getByTestId("try-it").screenshot({ path: "test-results/screens/try-it-image.png" });

  // Pasting values instead: the field takes them, and a wrong count is the data plane's own message.
  await fill.selectOption("values");
  await page.getByLabel("image values").fill("0.5, 0.5");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("input 'image': expected 150528 elements for shape [1,3,224,224], got 2")).toBeVisible();

  // The JSON tab holds the same request with each input's data on one line, not a line per value.
  await page.getByRole("tab", { name: "JSON" }).click();
  const json = await page.getByLabel("Request body (Open Inference Protocol)").inputValue();
  expect(json.split("\n").length).toBeLessThan(12);
  expect(JSON.parse(json).inputs[0].data).toHaveLength(150_528);
});

test("an operator creates an endpoint in the browser from a model's page, the data plane serves it, and deleting it stops that", async ({ page, request }) => {
  test.setTimeout(120_000);
  const model = `serve-${Date.now()}`;
  const secret = await twoVersionsAndAToken(request, model);
  await ok(await request.put(`/api/models/${model}/aliases/production`, { data: { version: 1 } }));

  // The model's page offers to serve it; the form opens with the model, its name and its production alias chosen.
  await page.goto(`/models/${model}`);
  await expect(page.getByText("No endpoint serves it yet.")).toBeVisible();
  await page.getByRole("link", { name: "Create an endpoint" }).click();
  await expect(page).toHaveURL(new RegExp(`/endpoints/new\\?model=${model}$`));
  const name = page.getByLabel("Endpoint name");
  const create = page.getByRole("button", { name: "Create endpoint" });
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue(model);
  await expect(name).toHaveValue(model);
  await expect(page.getByLabel("Serve", { exact: true })).toHaveValue("a:production");
  await expect(page.getByText(`${INFERENCE}/v2/models/${model}/infer`)).toBeVisible();
  await expect(create).toBeEnabled();
  await page.setViewportSize({ width: 820, height: 900 });
  expect(await pageOverflow(page), "the new-endpoint form at 820 px").toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1400, height: 900 });

  // Names are checked as they are typed, by the server's rules.
  await name.fill("Fraud");
  await expect(page.getByText("use lowercase ('fraud')")).toBeVisible();
  await expect(create).toBeDisabled();
  await name.fill("demo");
  await expect(page.getByText("an endpoint named 'demo' already exists")).toBeVisible();
  await expect(create).toBeDisabled();

  // A name taken after the form loaded is refused by the server, with its message, and nothing is overwritten.
  const taken = `${model}-taken`;
  await ok(await request.put(`/api/endpoints/${taken}`, { data: { model, variants: [{ name: "a", version: 1, weight: 100 }] } }));
  await name.fill(taken);
  await create.click();
  await expect(page.getByText(`endpoint '${taken}' already exists`)).toBeVisible();
  expect((await ok<{ generation: number; config: { variants: unknown[] } }>(await request.get(`/api/endpoints/${taken}`))).config.variants).toEqual([{ name: "a", version: 1, weight: 100 }]);

  // Version 2, fixed, with a description: created, audited, and the endpoint's page opens.
  const endpoint = `${model}-api`;
  await name.fill(endpoint);
  await page.getByLabel("Serve", { exact: true }).selectOption("v:2");
  await page.getByLabel("Description (optional)").fill("scores test traffic");
  await create.click();
  await expect(page).toHaveURL(new RegExp(`/endpoints/${endpoint}$`));
  await expect(page.getByRole("heading", { name: endpoint })).toBeVisible();
  await expect(page.getByText("endpoint created (generation 1)")).toBeVisible();
  const stored = await ok<{ description: string; config: { variants: unknown[] } }>(await request.get(`/api/endpoints/${endpoint}`));
  expect(stored.description).toBe("scores test traffic");
  expect(stored.config.variants).toEqual([{ name: "primary", version: 2, weight: 100 }]);
  const audit = await ok<{ events: Array<{ action: string; actorLabel: string | null }> }>(await request.get(`/api/audit?objectType=endpoint&objectId=${endpoint}`));
  expect(audit.events.map((e) => e.action)).toEqual(["endpoint.create"]);
  expect(audit.events[0].actorLabel).toBe("admin@ferry.test");

  // The data plane picks it up and answers from version 2.
  await expect
    .poll(async () => (await request.get(`${INFERENCE}/v2/models/${endpoint}/ready`, { headers: { authorization: `Bearer ${secret}` } })).status(), { timeout: 30_000 })
    .toBe(200);
  const answer = await request.post(`${INFERENCE}/v2/models/${endpoint}/infer`, {
    headers: { authorization: `Bearer ${secret}` },
    data: { inputs: [{ name: "x", datatype: "FP32", shape: [1, 4], data: [0.1, 0.2, 0.3, 0.4] }] },
  });
  expect(answer.status()).toBe(200);
  expect((await answer.json()).model_version).toBe("2");

  // The model's page now names it.
  await page.goto(`/models/${model}`);
  await expect(page.getByRole("link", { name: endpoint, exact: true })).toBeVisible();

  // Deleting asks for the name, then the list says so, the data plane answers 404 and the audit log keeps the config.
  await page.goto(`/endpoints/${endpoint}`);
  const card = page.getByTestId("delete-endpoint");
  await card.getByRole("button", { name: "Delete endpoint…" }).click();
  const confirm = card.getByRole("button", { name: "Delete", exact: true });
  await expect(confirm).toBeDisabled();
  await card.getByLabel(`Type ${endpoint} to confirm`).fill(model);
  await expect(confirm).toBeDisabled();
  await card.getByLabel(`Type ${endpoint} to confirm`).fill(endpoint);
  await confirm.click();
  await expect(page).toHaveURL(new RegExp(`/endpoints\\?deleted=${endpoint}$`));
  await expect(page.getByText(`Endpoint '${endpoint}' deleted.`)).toBeVisible();
  await expect(page.getByRole("link", { name: endpoint, exact: true })).toHaveCount(0);
  await expect(page.getByRole("link", { name: taken, exact: true })).toBeVisible();
  expect((await request.get(`/api/endpoints/${endpoint}`)).status()).toBe(404);
  await expect
    .poll(async () => (await request.get(`${INFERENCE}/v2/models/${endpoint}/ready`, { headers: { authorization: `Bearer ${secret}` } })).status(), { timeout: 30_000 })
    .toBe(404);
  const deletion = await ok<{ events: Array<{ action: string; before: { config: { variants: unknown[] } } }> }>(
    await request.get(`/api/audit?action=endpoint.delete&objectId=${endpoint}`),
  );
  expect(deletion.events.map((e) => e.before.config.variants)).toEqual([[{ name: "primary", version: 2, weight: 100 }]]);
  expect((await request.get(`/api/models/${model}`)).status()).toBe(200);
});
