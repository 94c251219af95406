import { test, expect, type Page, type APIRequestContext } from "@playwright/test";
import { hiddenTableWidth, pageOverflow } from "./layout";
import { E2E_ADMIN } from "../playwright.config";

const INFERENCE = `http://127.0.0.1:${process.env.E2E_INFERENCE_PORT ?? 8210}`;

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a wrong password gets one clear message and no session", async ({ page }) => {
    await signIn(page, E2E_ADMIN.email, "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText("Email or password is incorrect");
    await expect(page).toHaveURL(/\/login/);
    // An unknown account gets the very same answer.
    await signIn(page, "nobody@ferry.test", "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText("Email or password is incorrect");
  });

  test("pages redirect to sign-in and the API answers 401", async ({ page, request }) => {
    await page.goto("/models");
    await expect(page).toHaveURL(/\/login/);
    const res = await request.get("/api/models");
    expect(res.status()).toBe(401);
    expect((await res.json()).error).toBeTruthy();
  });
});

/** Where a section's link lands: Monitoring opens its first endpoint's charts when there is one (a redirect). */
const sectionUrl = (path: string) => (path === "/monitoring" ? /\/monitoring(\/[^/?#]+)?$/ : new RegExp(`${path}$`));

test("navigation reaches every section and sign out ends the session", async ({ page, browser, request, playwright }) => {
  // A token with a long name acts (it revokes itself), so the audit log below has an actor as long as CI pipelines'
  // tokens are named: its label must wrap rather than push the table's last columns out of the card.
  const created = await request.post("/api/tokens", { data: { name: `nightly retrain pipeline of the fraud team (${Date.now()})`, role: "admin", scopes: ["read", "write"] } });
  const { token, secret } = (await created.json()) as { token: { id: string }; secret: string };
  const self = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  expect((await self.delete(`/api/tokens/${token.id}`)).status()).toBe(200);
  await self.dispose();
  // In a 1280-px window (a common laptop), where every section's tables must show all their columns.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/");
  for (const [name, path] of [
    ["Models", "/models"],
    ["Endpoints", "/endpoints"],
    ["Monitoring", "/monitoring"],
    ["Alerts", "/alerts"],
    ["Audit", "/audit"],
    ["Settings", "/settings"],
  ] as const) {
    await page.getByRole("navigation").getByRole("link", { name, exact: false }).first().click();
    // A section's first render reads the database (the embedded one shares the server's thread): allow it time.
    await expect(page).toHaveURL(sectionUrl(path), { timeout: 15_000 });
    await expect(page.locator("h1").first()).toBeVisible();
    for (const table of await page.locator("table").all()) {
      expect(await hiddenTableWidth(table), `a table on ${path} at 1280 px`).toBeLessThanOrEqual(0);
    }
  }
  // In a narrow or split-screen window the sidebar is a rail of icons (the links keep their names) and no page is
  // wider than the window (wide tables scroll inside their cards).
  await page.setViewportSize({ width: 820, height: 900 });
  for (const [name, path] of [["Overview", "/"], ["Models", "/models"], ["Endpoints", "/endpoints"], ["Monitoring", "/monitoring"], ["Alerts", "/alerts"], ["Audit", "/audit"], ["Settings", "/settings"]] as const) {
    await page.getByRole("navigation").getByRole("link", { name, exact: false }).first().click();
    await expect(page).toHaveURL(sectionUrl(path), { timeout: 15_000 });
    await expect(page.locator("h1").first()).toBeVisible();
    expect(await pageOverflow(page), `${path} at 820 px`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  // Sign out in a separate context, so the saved admin session of other tests stays valid.
  const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const p2 = await ctx.newPage();
  await signIn(p2, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(p2.getByRole("button", { name: "Sign out" })).toBeVisible();
  await p2.getByRole("button", { name: "Sign out" }).click();
  await expect(p2).toHaveURL(/\/login/);
  await p2.goto("/models");
  await expect(p2).toHaveURL(/\/login/);
  await ctx.close();
});

async function createToken(page: Page, name: string, role: string): Promise<string> {
  await page.goto("/settings");
  await page.getByLabel("Token name").fill(name);
  const roleSelect = page.getByLabel("Token role");
  if (await roleSelect.count()) await roleSelect.selectOption(role);
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("token-secret").innerText()).trim();
  expect(secret).toMatch(/^fry_[0-9A-Za-z]{32}$/);
  return secret;
}

async function apiStatus(request: APIRequestContext, secret: string) {
  return (await request.get("/api/models", { headers: { authorization: `Bearer ${secret}` } })).status();
}

test("an admin creates a token that works, revokes it, and it stops working", async ({ page, playwright }) => {
  const name = `e2e-token-${Date.now()}`;
  const secret = await createToken(page, name, "operator");
  const anon = await playwright.request.newContext({ baseURL: page.url().replace(/\/settings.*$/, "") });
  expect(await apiStatus(anon, secret)).toBe(200);

  const row = page.getByRole("row", { name: new RegExp(name) });
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText(/revoked/i);
  // Revocation is seen within the token cache's few seconds.
  await expect.poll(() => apiStatus(anon, secret), { timeout: 15_000 }).toBe(401);
  await anon.dispose();
});

test("a viewer can read but not reach admin pages or mutate", async ({ browser, request }) => {
  const email = `viewer-${Date.now()}@ferry.test`;
  // The admin invites a viewer through the API (session cookie of the saved admin state).
  const invite = await request.post("/api/users", { data: { email, role: "viewer" } });
  expect(invite.status()).toBe(201);
  const { oneTimePassword } = await invite.json();
  expect(oneTimePassword).toBeTruthy();

  const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewer = await ctx.newPage();
  await signIn(viewer, email, oneTimePassword);
  await expect(viewer).toHaveURL(/\/account\/password/);
  const newPassword = "viewer-new-password-123";
  await viewer.getByLabel("New password", { exact: true }).fill(newPassword);
  await viewer.getByLabel("Confirm new password").fill(newPassword);
  await viewer.getByRole("button", { name: /save|set password|change password/i }).click();
  await expect(viewer.getByRole("button", { name: "Sign out" })).toBeVisible();

  await viewer.goto("/models");
  await expect(viewer.locator("h1").first()).toContainText("Models");
  await expect(viewer.getByRole("link", { name: "New model" })).toHaveCount(0);
  await viewer.goto("/endpoints");
  await expect(viewer.locator("h1").first()).toContainText("Endpoints");
  await expect(viewer.getByRole("link", { name: "New endpoint" })).toHaveCount(0);
  await viewer.goto("/endpoints/new");
  await expect(viewer).toHaveURL(/\/forbidden/);
  await viewer.goto("/settings");
  await expect(viewer.getByText(/admin role/i).first()).toBeVisible();
  await expect(viewer.getByLabel("Token name")).toHaveCount(0);

  const denied = await viewer.request.post("/api/tokens", { data: { name: "sneaky", role: "viewer", scopes: ["read"] } });
  expect(denied.status()).toBe(403);
  const deniedPromote = await viewer.request.put("/api/models/demo-classifier/aliases/production", { data: { version: 2 } });
  expect(deniedPromote.status()).toBe(403);
  const deniedEndpoint = await viewer.request.put("/api/endpoints/sneaky", { data: { model: "demo-classifier", variants: [{ name: "a", version: 1, weight: 100 }] } });
  expect(deniedEndpoint.status()).toBe(403);
  await ctx.close();

  // The denied attempts are in the audit log.
  const audit = await request.get(`/api/audit?outcome=denied`);
  expect(audit.status()).toBe(200);
  const events = (await audit.json()).events as Array<{ actorLabel: string }>;
  expect(events.some((e) => e.actorLabel === email)).toBe(true);
});

test("the data plane is live and ready beside the dashboard", async ({ request }) => {
  const live = await request.get(`${INFERENCE}/v2/health/live`);
  expect(live.status()).toBe(200);
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  const body = await health.json();
  expect(body.database.ok).toBe(true);
  expect(body.dataPlane.ok).toBe(true);
});

test("the API reference documents every route the OpenAPI document has, readable on a phone", async ({ page, request }) => {
  const doc = await (await request.get("/api/openapi.json")).json() as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
  await page.goto("/");
  await page.getByRole("link", { name: /API reference/ }).click();
  await expect(page).toHaveURL(/\/api-reference$/);
  const shown = page.getByTestId("api-operation");
  await expect(shown).toHaveCount(operations.length);
  // One operation in full: its role, a path parameter, a nested body field with its type, and its answer's fields.
  const put = page.locator("#put-api-endpoints-name");
  await expect(put).toContainText("PUT/api/endpoints/{name}");
  await expect(put).toContainText("operator or above");
  const body = put.getByRole("table", { name: "Body of PUT /api/endpoints/{name}" });
  await expect(body.getByRole("row").filter({ hasText: "weight" }).first()).toContainText("number 0 … 1000000");
  await put.getByText(/^200 OK/).click();
  await expect(put.getByRole("table", { name: "200 answer of PUT /api/endpoints/{name}" })).toBeVisible();
  await put.getByText("curl", { exact: true }).click();
  await expect(put.locator("pre")).toContainText("curl -X PUT 'http://127.0.0.1:");
  await expect(put.locator("pre")).toContainText("-d @body.json");
  // The section links and the download.
  await page.getByRole("navigation", { name: "API sections" }).getByRole("link", { name: /^registry/ }).click();
  await expect(page).toHaveURL(/#tag-registry$/);
  await expect(page.getByRole("link", { name: "Download openapi.json" })).toHaveAttribute("href", "/api/openapi.json");
  await expect(page.locator("#inference")).toContainText("/v2/models/{endpoint}[/versions/{v}]/infer");
  await page.setViewportSize({ width: 390, height: 800 });
  expect(await pageOverflow(page), "the API reference at 390 px").toBeLessThanOrEqual(0);
});
