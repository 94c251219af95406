import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { makeEndpoint, makeUser, uniq } from "@/lib/alerts/alerts-test-kit";
import { auditObjectLabels } from "./audit-object-labels";

describe("auditObjectLabels", () => {
  it("names alerts, users, tokens and webhooks by what a person recognises; others and deleted objects have none", async () => {
    const db = await getDb();
    const ep = await makeEndpoint();
    const title = uniq("f2 drifted");
    const alert = await db.alert.create({ data: { endpointId: ep.id, signal: "drift", feature: "f2", title } });
    const plain = await makeUser("operator");
    const named = await db.user.create({ data: { email: `${uniq("ada")}@ferry.test`, name: "Ada", passwordHash: "x" } });
    const token = await db.apiToken.create({ data: { name: uniq("ci"), role: "operator", scopes: ["read"], hash: uniq("h"), prefix: "fry_x" } });
    const hook = await db.webhook.create({ data: { name: uniq("pager"), url: "http://127.0.0.1:9/hook", secret: "s" } });
    const gone = await db.webhook.create({ data: { name: uniq("gone"), url: "http://127.0.0.1:9/gone", secret: "s" } });
    await db.webhook.delete({ where: { id: gone.id } });

    const labels = await auditObjectLabels(db, [
      { objectType: "alert", objectId: alert.id },
      { objectType: "user", objectId: plain.id },
      { objectType: "user", objectId: named.id },
      { objectType: "token", objectId: token.id },
      { objectType: "webhook", objectId: hook.id },
      { objectType: "webhook", objectId: gone.id },
      { objectType: "endpoint", objectId: ep.name },
      { objectType: "alert", objectId: null },
    ]);
    expect(labels.get("alert", alert.id)).toBe(title);
    expect(labels.get("user", plain.id)).toBe(plain.email);
    expect(labels.get("user", named.id)).toBe(`Ada (${named.email})`);
    expect(labels.get("token", token.id)).toBe(token.name);
    expect(labels.get("webhook", hook.id)).toBe(hook.name);
    expect(labels.get("webhook", gone.id)).toBeUndefined();
    // Ids are looked up under their own type only: an alert's id read as a user's names nothing.
    expect(labels.get("user", alert.id)).toBeUndefined();
    expect(labels.get("endpoint", ep.name)).toBeUndefined();
  });
});
