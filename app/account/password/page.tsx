import Link from "next/link";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { AuthCard } from "@/components/auth/auth-card";
import { ChangePasswordForm } from "@/components/auth/change-password-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set your password" };

export default async function AccountPasswordPage() {
  const user = await requirePageUser(undefined, { allowPendingPasswordChange: true });
  return (
    <AuthCard
      title={user.mustChangePassword ? "Choose your password" : "Change your password"}
      subtitle={
        user.mustChangePassword
          ? <>Welcome, {user.email}. You signed in with a one-time password; choose your own to continue.</>
          : <>Signed in as {user.email}. Changing it signs you out everywhere else.</>
      }
      footer={user.mustChangePassword ? null : <Link href="/" className="hover:text-slate-900">← Back to Ferry</Link>}
    >
      <ChangePasswordForm email={user.email} needsCurrent={!user.mustChangePassword} />
    </AuthCard>
  );
}
