import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";
import { guardCredentialsCallback } from "@/lib/auth/guard-credentials-callback";

export const dynamic = "force-dynamic";

const handler = guardCredentialsCallback(NextAuth(authOptions));

export { handler as GET, handler as POST };
