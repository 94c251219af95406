import { test, expect } from "@playwright/test";
import { buildMlp } from "../lib/onnx/build-model";
import { hiddenTableWidth } from "./layout";

test("upload a model with a progress bar, promote it to production, roll back, and see the audit trail", async ({ page }) => {
  const name = `e2e-model-${Date.now()}`;
  await page.goto("/models/new");
  await page.getByLabel(/model name/i).fill(name);
  // A model big enough that the progress bar is on screen while bytes are sent.
  const v1 = Buffer.from(buildMlp({ inputs: 256, hidden: 1024, outputs: 4, seed: 1 }));
  await page.getByLabel("Model file").setInputFiles({ name: "v1.onnx", mimeType: "application/octet-stream", buffer: v1 });
  await page.getByLabel("Class labels").setInputFiles({ name: "labels.txt", mimeType: "text/plain", buffer: Buffer.from("north\neast\nsouth\nwest\n") });
  await page.getByLabel("Training metrics").fill("auc=0.912\nval/loss=0.31");
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("progressbar")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/models/${name}/versions/1$`), { timeout: 60_000 });
  await expect(page.getByText("ready").first()).toBeVisible();
  // The labels file went with it: the signature shows them under the output.
  await expect(page.getByText("labels: north, east, south, west")).toBeVisible();
  // And the training metrics.
  await expect(page.getByTestId("version-metrics")).toContainText("auc0.912");
  await expect(page.getByTestId("version-metrics")).toContainText("val/loss0.31");

  // A second version from the model page.
  await page.goto(`/models/${name}`);
  const v2 = Buffer.from(buildMlp({ inputs: 256, hidden: 1024, outputs: 4, seed: 2 }));
  await page.getByLabel("Model file").setInputFiles({ name: "v2.onnx", mimeType: "application/octet-stream", buffer: v2 });
  await page.getByLabel("Training metrics").fill("auc: 0.931");
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${name}/versions/2$`), { timeout: 60_000 });

  // Labels added after the upload, from the version's page: a file that does not fit is refused with the reason.
  const labels = page.getByTestId("labels-editor");
  await labels.getByLabel("Labels file").setInputFiles({ name: "short.txt", mimeType: "text/plain", buffer: Buffer.from("up\ndown\n") });
  await labels.getByRole("button", { name: "Save labels" }).click();
  await expect(labels.getByRole("alert")).toHaveText("class labels: output 'probs' has 4 classes (shape [-1,4]) but the labels file gives it 2 labels");
  await labels.getByLabel("Labels file").setInputFiles({ name: "compass.txt", mimeType: "text/plain", buffer: Buffer.from("N\nE\nS\nW\n") });
  await labels.getByRole("button", { name: "Save labels" }).click();
  await expect(labels.getByRole("status")).toHaveText("Labels from compass.txt saved: answers name the classes with them now.");
  await expect(page.getByText("labels: N, E, S, W")).toBeVisible();
  await page.getByTestId("labels-editor").screenshot({ path: "test-results/screens/labels-editor.png" });
  // Compared with v1, the changed labels are a (non-breaking) difference, and the table fits its card.
  await page.goto(`/models/${name}/versions/2?compare=1`);
  await expect(page.getByText("class labels change: north, east, south, west → N, E, S, W")).toBeVisible();
  // The metrics beside v1's, with the difference.
  await expect(page.getByTestId("version-metrics")).toContainText("auc0.931v1 0.912(+0.019)");
  await expect(page.getByTestId("version-metrics")).toContainText("val/loss—v1 0.31");
  await page.getByTestId("version-metrics").screenshot({ path: "test-results/screens/version-metrics.png" });
  expect(await hiddenTableWidth(page.locator("table").first())).toBeLessThanOrEqual(0);
  await labels.getByRole("button", { name: "Remove labels" }).click();
  await expect(page.getByText("labels: N, E, S, W")).toHaveCount(0);

  // The versions table shows each version's metrics under its number, and fits its card.
  await page.goto(`/models/${name}`);
  await expect(page.getByText("auc 0.912 · +1")).toBeVisible();
  expect(await hiddenTableWidth(page.locator("table").first())).toBeLessThanOrEqual(0);

  // The new-model form says when a name is a model's already (the upload would be its next version), and refuses the
  // name of its own address.
  await page.goto("/models/new");
  await page.getByLabel(/model name/i).fill(name);
  await expect(page.getByTestId("existing-model-hint")).toHaveText(`Model '${name}' exists already: this upload becomes its version 3. Open ${name}`);
  await page.getByLabel(/model name/i).fill("new");
  await expect(page.getByRole("alert").filter({ hasText: "reserved" })).toHaveText("the model name 'new' is reserved: it is the address of the dashboard's form for creating one; choose another");
  await expect(page.getByRole("button", { name: "Upload", exact: true })).toBeDisabled();

  // Promote v1, then v2, to production; roll back to v1.
  for (const version of ["1", "2"]) {
    await page.goto(`/models/${name}`);
    await page.getByLabel("Version").selectOption(version);
    await page.getByLabel("Alias").fill("production");
    // Promoting v2 over v1 shows its metrics against v1's.
    if (version === "2") await expect(page.getByTestId("metrics-against")).toHaveText("Against production (v1): auc 0.931 (+0.019)");
    await page.getByRole("button", { name: "Promote" }).click();
    await expect(page.getByText(new RegExp(`production.*v?${version}|v?${version}.*production`)).first()).toBeVisible();
  }
  // The button says where it goes (a first promotion's is disabled: nothing to go back to).
  await page.getByRole("button", { name: "Roll back to v1" }).click();
  const api = await page.request.get(`/api/models/${name}`);
  await expect.poll(async () => {
    const m = await (await page.request.get(`/api/models/${name}`)).json();
    return (m.aliases as Array<{ name: string; version: number }>).find((a) => a.name === "production")?.version;
  }).toBe(1);
  expect(api.status()).toBe(200);

  await page.goto(`/audit?objectType=alias`);
  await expect(page.getByText("alias.rollback").first()).toBeVisible();
  await expect(page.getByText("alias.promote").first()).toBeVisible();
  await page.goto(`/audit?objectType=model_version`);
  await expect(page.getByText("model.upload").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screens/audit.png", fullPage: true });
  // An audited object links to its page.
  await page.getByRole("link", { name: `${name}@2` }).first().click();
  await expect(page).toHaveURL(new RegExp(`/models/${name}/versions/2$`));
});

test("an archived version is deleted from its page, its number is not given again, and then the whole model", async ({ page, request }) => {
  const name = `e2e-delete-${Date.now()}`;
  const upload = async (seed: number) => {
    const res = await request.post(`/api/models/${name}/versions`, {
      multipart: { file: { name: "m.onnx", mimeType: "application/octet-stream", buffer: Buffer.from(buildMlp({ inputs: 4, hidden: 4, outputs: 2, seed })) } },
    });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { version: number }).version;
  };
  expect([await upload(1), await upload(2)]).toEqual([1, 2]);

  await page.goto(`/models/${name}/versions/2`);
  await expect(page.getByRole("button", { name: "Delete…" })).toHaveCount(0);
  await page.getByRole("button", { name: "Archive" }).click();
  await expect(page.getByRole("button", { name: "Restore" })).toBeVisible();
  page.once("dialog", (d) => {
    expect(d.message()).toContain(`Delete ${name} v2?`);
    void d.accept();
  });
  await page.getByRole("button", { name: "Delete…" }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${name}\\?deleted=2$`));
  await expect(page.getByRole("status").filter({ hasText: "Deleted v2." })).toBeVisible();
  await expect(page.getByRole("link", { name: "v2", exact: true })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "v1", exact: true })).toBeVisible();
  expect(await upload(3)).toBe(3);

  // The whole model goes from its page once its name is typed; the list says so.
  await page.goto(`/models/${name}`);
  const card = page.getByTestId("delete-model");
  await card.getByRole("button", { name: "Delete model…" }).click();
  const confirm = card.getByRole("button", { name: "Delete", exact: true });
  await expect(confirm).toBeDisabled();
  await card.getByLabel(`Type ${name} to confirm`).fill(name);
  await confirm.click();
  await expect(page).toHaveURL(new RegExp(`/models\\?deleted=${name}$`));
  await expect(page.getByRole("status").filter({ hasText: `Model '${name}' deleted, with its versions.` })).toBeVisible();
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
  expect((await request.get(`/api/models/${name}`)).status()).toBe(404);
});
