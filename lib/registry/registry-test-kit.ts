/** Helpers for the registry's integration tests: tokens, route calls and multipart uploads. */
import crypto from "node:crypto";
import { NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { generateTokenSecret, hashTokenSecret, tokenDisplayPrefix } from "@/lib/auth/api-token-secret";
import { multipartBody, newBoundary, type MultipartField } from "@/lib/http/multipart-body";
import type { Role } from "@/lib/auth/roles";

export async function makeToken(role: Role, scopes = ["read", "write"]): Promise<string> {
  const db = await getDb();
  const secret = generateTokenSecret();
  await db.apiToken.create({ data: { name: `test-${role}-${crypto.randomBytes(3).toString("hex")}`, role, scopes, hash: hashTokenSecret(secret), prefix: tokenDisplayPrefix(secret) } });
  return secret;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString("hex")}`;
}

type Handler<P> = (req: NextRequest, ctx: { params: Promise<P> }) => Promise<Response>;

export async function call<P>(
  handler: Handler<P>,
  o: { path: string; params: P; method?: string; token: string; json?: unknown; body?: BodyInit | ReadableStream<Uint8Array>; headers?: Record<string, string> },
) {
  const headers: Record<string, string> = { authorization: `Bearer ${o.token}`, ...o.headers };
  let body = o.body;
  if (o.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(o.json);
  }
  const init = { method: o.method ?? "GET", headers, body: body as BodyInit, duplex: "half" };
  const req = new NextRequest(`http://localhost${o.path}`, init as ConstructorParameters<typeof NextRequest>[1]);
  const res = await handler(req, { params: Promise.resolve(o.params) });
  const text = res.headers.get("content-type")?.includes("application/json") ? await res.text() : undefined;
  return { status: res.status, body: text ? JSON.parse(text) : undefined, res };
}

/** A multipart upload body as a stream, with its boundary header. */
export function uploadBody(fields: MultipartField[]) {
  const boundary = newBoundary();
  const it = multipartBody(boundary, fields);
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      const { done, value } = await it.next();
      if (done) c.close();
      else c.enqueue(value);
    },
  });
  return { body: stream, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}
