/**
 * The one wrapper around every /api route handler: authenticates by session cookie or `Authorization: Bearer`,
 * checks role and scope in the handler itself, records denied attempts, and maps errors to `{ "error": … }` JSON
 * with the right status — never a stack trace. A route without it has no principal to pass to the domain.
 */
import crypto from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { ZodError } from "zod";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { recordAudit, actorFrom, type Actor } from "@/lib/audit/record-audit";
import { authenticateToken, bearerSecret, LookupBudget, UNVERIFIED_LOOKUPS_PER_SECOND } from "./authenticate-token";
import { sessionPrincipal } from "./session-principal";
import { roleAtLeast, type Principal, type Role, type Scope } from "./roles";

export interface AuthContext<P> {
  req: NextRequest;
  params: P;
  principal: Principal;
  /** The actor to pass to domain mutations (audit). */
  actor: Actor;
  requestId: string;
}

export interface AuthOptions {
  /** Minimum role. */
  role: Role;
  /** Token scope needed; defaults to `read` for GET/HEAD and `write` otherwise. */
  scope?: Scope;
}

type RouteContext<P> = { params: Promise<P> };

export function errorResponse(status: number, message: string, extra: Record<string, unknown> = {}, headers?: HeadersInit) {
  return NextResponse.json({ error: message, ...extra }, { status, headers });
}

export function clientIp(req: Request): string | undefined {
  const fwd = req.headers.get("x-forwarded-for");
  return fwd?.split(",")[0]?.trim() || req.headers.get("x-real-ip") || undefined;
}

/** The control plane's bound on reads of tokens not known valid (authenticate-token.ts), per process. */
export const unverifiedTokenLookups = new LookupBudget(UNVERIFIED_LOOKUPS_PER_SECOND);

async function authenticate(req: NextRequest): Promise<Principal | null> {
  const db = await getDb();
  const secret = bearerSecret(req.headers.get("authorization"));
  if (secret) return authenticateToken(db, secret, Date.now(), unverifiedTokenLookups);
  return sessionPrincipal(req, db);
}

/** Maps anything thrown by a handler to a JSON error answer. */
export function toErrorResponse(e: unknown, requestId: string): NextResponse {
  if (e instanceof AppError) {
    const headers = e.retryAfter ? { "Retry-After": String(e.retryAfter) } : undefined;
    return errorResponse(e.status, e.message, e.details ? { details: e.details } : {}, headers);
  }
  if (e instanceof ZodError) {
    const message = e.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
    return errorResponse(400, message, { issues: e.issues.map((i) => ({ path: i.path, message: i.message })) });
  }
  const code = (e as { code?: string })?.code;
  if (code === "P2002") return errorResponse(409, "that name is already taken");
  if (code === "P2025") return errorResponse(404, "not found");
  logger().error({ err: e, requestId }, "unhandled error in API route");
  return errorResponse(500, `internal error (request ${requestId})`);
}

export function withAuth<P = Record<string, string>>(
  handler: (ctx: AuthContext<P>) => Promise<Response>,
  options: AuthOptions,
) {
  return async (req: NextRequest, route: RouteContext<P>): Promise<Response> => {
    const requestId = req.headers.get("x-request-id") ?? crypto.randomUUID();
    try {
      const principal = await authenticate(req);
      if (!principal) return errorResponse(401, "sign in or send Authorization: Bearer <token>");
      const mutation = req.method !== "GET" && req.method !== "HEAD";
      const scope = options.scope ?? (mutation ? "write" : "read");
      const roleOk = roleAtLeast(principal.role, options.role);
      const scopeOk = principal.type === "user" || principal.scopes.includes(scope);
      const actor = actorFrom(principal, requestId, clientIp(req));
      if (!roleOk || !scopeOk) {
        const reason = !roleOk
          ? `requires the ${options.role} role; you have ${principal.role}`
          : `this token lacks the '${scope}' scope`;
        if (mutation) await recordDenied(actor, req, reason);
        return errorResponse(403, `forbidden: ${reason}`);
      }
      const params = (await route?.params) ?? ({} as P);
      const res = await handler({ req, params, principal, actor, requestId });
      res.headers.set("x-request-id", requestId);
      return res;
    } catch (e) {
      return toErrorResponse(e, requestId);
    }
  };
}

async function recordDenied(actor: Actor, req: NextRequest, reason: string) {
  try {
    const db = await getDb();
    const url = new URL(req.url);
    await recordAudit(db, actor, {
      action: `${req.method} ${url.pathname}`,
      objectType: "api",
      objectId: url.pathname,
      outcome: "denied",
      reason,
    });
  } catch (e) {
    logger().warn({ err: e }, "could not record a denied attempt");
  }
}
