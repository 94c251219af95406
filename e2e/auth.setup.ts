import { test as setup, expect } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";

/** Signs in once through the real form and saves the session for the other specs. */
setup("sign in as the admin", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.context().storageState({ path: "e2e/.auth/admin.json" });
});
