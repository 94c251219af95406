/** Helpers for the alert and webhook integration tests: an endpoint to hang alerts on, users, tokens, route calls. */
import crypto from "node:crypto";
import { NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { generateTokenSecret, hashTokenSecret, tokenDisplayPrefix } from "@/lib/auth/api-token-secret";
import type { Role } from "@/lib/auth/roles";
import type { Actor } from "@/lib/audit/record-audit";

export const uniq = (p: string) => `${p}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString("hex")}`;

export async function makeEndpoint(): Promise<{ id: string; name: string }> {
  const db = await getDb();
  const model = await db.model.create({ data: { name: uniq("alerts-model") } });
  return db.endpoint.create({ data: { name: uniq("ep"), modelId: model.id, config: {} }, select: { id: true, name: true } });
}

export async function makeUser(role: Role = "operator") {
  const db = await getDb();
  return db.user.create({ data: { email: `${uniq("u")}@ferry.test`, passwordHash: "x", role } });
}

export async function makeToken(role: Role, userId?: string): Promise<string> {
  const db = await getDb();
  const secret = generateTokenSecret();
  await db.apiToken.create({
    data: { name: uniq(`t-${role}`), role, scopes: ["read", "write"], hash: hashTokenSecret(secret), prefix: tokenDisplayPrefix(secret), createdById: userId },
  });
  return secret;
}

export const testActor = (id = "tester"): Actor => ({ type: "user", id, label: `${id}@ferry.test` });

type Handler<P> = (req: NextRequest, ctx: { params: Promise<P> }) => Promise<Response>;

export async function call<P>(handler: Handler<P>, o: { path: string; params?: P; method?: string; token: string; json?: unknown }) {
  const headers: Record<string, string> = { authorization: `Bearer ${o.token}` };
  if (o.json !== undefined) headers["content-type"] = "application/json";
  const req = new NextRequest(`http://localhost${o.path}`, {
    method: o.method ?? "GET",
    headers,
    body: o.json === undefined ? undefined : JSON.stringify(o.json),
  });
  const res = await handler(req, { params: Promise.resolve((o.params ?? {}) as P) });
  const text = await res.text();
  const json = res.headers.get("content-type")?.includes("json") && text ? JSON.parse(text) : undefined;
  return { status: res.status, body: json, text, res };
}
