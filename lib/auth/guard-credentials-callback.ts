/**
 * Wraps next-auth's route handler so a throttled sign-in is answered 429 with Retry-After. next-auth 4 maps every
 * error thrown by `authorize()` to 401, so the check runs here, before next-auth sees the request. The JSON body
 * keeps next-auth's `{ url }` shape (its client reads `error` from that URL) and adds `error` for direct callers.
 */
import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { clientIpFromHeaders } from "./client-ip";
import { loginBlockedFor, throttleKeys } from "./login-throttle";
import { throttledMessage } from "./authenticate-credentials";
import { THROTTLED_ERROR_PREFIX } from "./auth-options";

type Handler = (req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

async function submittedEmail(req: NextRequest): Promise<string> {
  const type = req.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/json")) return String(((await req.clone().json()) as { email?: unknown }).email ?? "");
    if (type.includes("application/x-www-form-urlencoded")) return new URLSearchParams(await req.clone().text()).get("email") ?? "";
  } catch {
    // An unreadable body is next-auth's to reject.
  }
  return "";
}

export function guardCredentialsCallback(handler: Handler): Handler {
  return async (req, ctx) => {
    const { nextauth } = await ctx.params;
    if (req.method !== "POST" || nextauth?.[0] !== "callback" || nextauth?.[1] !== "credentials") return handler(req, ctx);

    const email = (await submittedEmail(req)).trim().toLowerCase();
    const ip = clientIpFromHeaders((n) => req.headers.get(n));
    const db = await getDb();
    const retryAfter = await loginBlockedFor(db, throttleKeys(email, ip));
    if (retryAfter <= 0) return handler(req, ctx);

    await recordAudit(db, { type: "anonymous", label: email || "(no email)", ip }, {
      action: "user.login", objectType: "user", outcome: "denied",
      reason: `throttled: too many failed attempts (retry in ${retryAfter} s)`,
    });
    const base = process.env.NEXTAUTH_URL ?? req.nextUrl.origin;
    const url = `${base.replace(/\/$/, "")}/login?error=${encodeURIComponent(`${THROTTLED_ERROR_PREFIX}${retryAfter}`)}`;
    return NextResponse.json(
      { url, error: throttledMessage(retryAfter), retryAfterSeconds: retryAfter },
      { status: 429, headers: { "Retry-After": String(retryAfter) } },
    );
  };
}
