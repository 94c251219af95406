/**
 * Helpers for the data plane's integration tests: models, versions with artifacts in the (per-test-file) artifact
 * store, endpoints, tokens, and a client for the plane. Each call makes uniquely named rows.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pino from "pino";
import { getDb } from "@/lib/db/client";
import { artifactKeyFor, artifactPath } from "@/lib/artifacts/artifact-path";
import { generateTokenSecret, hashTokenSecret, tokenDisplayPrefix } from "@/lib/auth/api-token-secret";
import { inspectModel } from "@/lib/onnx/inspect-model";
import { notifyDesiredState } from "@/lib/endpoints/notify-desired-state";
import type { EndpointConfigInput } from "@/lib/routing/endpoint-config.schema";

/** The planes' logs in tests: each test file's plane also sees other files' endpoints, whose artifacts are gone. */
export const quietLogger = pino({ level: process.env.FERRY_TEST_LOG ?? "silent" });

export function unique(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(4).toString("hex")}`;
}

/** Writes the artifact and a ready ModelVersion row (creating the model on first use); returns the version number. */
export async function addVersion(model: string, bytes: Uint8Array, opts: { alias?: string } = {}): Promise<number> {
  const db = await getDb();
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const storageKey = artifactKeyFor(sha256);
  const file = artifactPath(storageKey);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  const m = await db.model.upsert({ where: { name: model }, create: { name: model }, update: {} });
  const last = await db.modelVersion.findFirst({ where: { modelId: m.id }, orderBy: { version: "desc" } });
  const version = (last?.version ?? 0) + 1;
  const v = await db.modelVersion.create({
    data: {
      modelId: m.id,
      version,
      status: "ready",
      sha256,
      sizeBytes: BigInt(bytes.length),
      storageKey,
      signature: inspectModel(bytes).signature as object,
    },
  });
  if (opts.alias) {
    await db.alias.upsert({
      where: { modelId_name: { modelId: m.id, name: opts.alias } },
      create: { modelId: m.id, name: opts.alias, versionId: v.id },
      update: { versionId: v.id },
    });
  }
  return version;
}

export async function putEndpointRow(name: string, config: EndpointConfigInput): Promise<void> {
  const db = await getDb();
  const model = await db.model.findUniqueOrThrow({ where: { name: config.model } });
  await db.endpoint.upsert({
    where: { name },
    create: { name, modelId: model.id, config: config as object },
    update: { config: config as object, generation: { increment: 1 } },
  });
  await notifyDesiredState(name);
}

export async function makeInferToken(scopes: string[] = ["infer"]): Promise<{ secret: string; id: string }> {
  const db = await getDb();
  const secret = generateTokenSecret();
  const t = await db.apiToken.create({
    data: { name: unique("infer"), role: "operator", scopes, hash: hashTokenSecret(secret), prefix: tokenDisplayPrefix(secret) },
  });
  return { secret, id: t.id };
}

export interface PlaneResponse {
  status: number;
  headers: Headers;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  bytes: Buffer;
}

export async function planeFetch(port: number, p: string, init: RequestInit & { token?: string } = {}): Promise<PlaneResponse> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  const res = await fetch(`http://127.0.0.1:${port}${p}`, { ...init, headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: unknown;
  if ((res.headers.get("content-type") ?? "").includes("json")) json = JSON.parse(bytes.toString("utf8"));
  return { status: res.status, headers: res.headers, json, bytes };
}

export function inferBody(inputs: { name: string; datatype: string; shape: number[]; data: unknown }[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, inputs });
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
