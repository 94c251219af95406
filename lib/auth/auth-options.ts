/**
 * next-auth 4 configuration: credentials only, JWT sessions. The JWT carries the user id (`sub`), role and
 * tokenVersion (`tv`); every request re-checks them against the database (session-principal.ts,
 * require-page-user.ts), so demoting or disabling a user takes effect on their very next request.
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/lib/db/client";
import { clientIpFromHeaders } from "./client-ip";
import { authenticateCredentials } from "./authenticate-credentials";
import type { Role } from "./roles";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null; role: Role; mustChangePassword: boolean };
  }
  interface User {
    role?: Role;
    tv?: number;
    mustChangePassword?: boolean;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
    tv?: number;
    mcp?: boolean;
  }
}

/** The error code the sign-in form receives for a throttled attempt: `throttled:<seconds>`. */
export const THROTTLED_ERROR_PREFIX = "throttled:";

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, req) {
        const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
        const result = await authenticateCredentials({
          db: await getDb(),
          email: String(credentials?.email ?? ""),
          password: String(credentials?.password ?? ""),
          ip: clientIpFromHeaders((name) => headers[name]),
        });
        if (result.ok) {
          const u = result.user;
          return { id: u.id, email: u.email, name: u.name, role: u.role, tv: u.tokenVersion, mustChangePassword: u.mustChangePassword };
        }
        // next-auth turns a thrown error into `?error=<message>` for the form, always with status 401; the route
        // wrapper (guard-credentials-callback.ts) answers 429 before reaching here when the throttle already blocks,
        // so this branch only catches a block that began between the two checks.
        if (result.reason === "throttled") throw new Error(`${THROTTLED_ERROR_PREFIX}${result.retryAfterSeconds}`);
        // Unknown account and wrong password alike: error "CredentialsSignin" ("Email or password is incorrect").
        return null;
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = user.role;
        token.tv = user.tv;
        token.mcp = user.mustChangePassword;
      }
      return token;
    },
    async session({ session, token }) {
      session.user = {
        id: token.sub ?? "",
        email: token.email ?? "",
        name: token.name,
        role: token.role ?? "viewer",
        mustChangePassword: !!token.mcp,
      };
      return session;
    },
  },
};
