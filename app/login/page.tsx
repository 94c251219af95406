import { redirect } from "next/navigation";
import { getPageUser } from "@/lib/auth/require-page-user";
import { AuthCard } from "@/components/auth/auth-card";
import { LoginForm } from "@/components/auth/login-form";
import { safeCallbackUrl } from "@/components/auth/safe-callback-url";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const target = safeCallbackUrl(callbackUrl);
  if (await getPageUser()) redirect(target);
  return (
    <AuthCard
      title="Sign in to Ferry"
      subtitle="Models, endpoints and monitoring for your ONNX deployments."
      footer={<>No account? Ask an admin to invite you. First start? The admin credentials were printed in the server log.</>}
    >
      <LoginForm callbackUrl={target} initialError={error} />
    </AuthCard>
  );
}
