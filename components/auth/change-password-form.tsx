"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/form";
import { useHydrated } from "@/components/settings/use-hydrated";

const MIN = 12;

export function ChangePasswordForm({ email, needsCurrent }: { email: string; needsCurrent: boolean }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    // Uncontrolled fields: values typed before hydration are kept.
    const data = new FormData(e.currentTarget);
    const current = String(data.get("current") ?? "");
    const next = String(data.get("new") ?? "");
    const confirm = String(data.get("confirm") ?? "");
    setError(null);
    if (next.length < MIN) return setError(`Use at least ${MIN} characters.`);
    if (next !== confirm) return setError("The two new passwords differ.");
    setPending(true);
    try {
      const res = await fetch("/api/account/password", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ newPassword: next, ...(needsCurrent ? { currentPassword: current } : {}) }),
      });
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      if (!res.ok) throw new Error(body.error ?? `request failed (${res.status})`);
      // The change ended every session, this one included: sign in again with the new password.
      const again = await signIn("credentials", { email, password: next, redirect: false });
      router.replace(again?.ok && !again.error ? "/" : "/login");
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
      setPending(false);
    }
  }

  const field = (id: string, name: string, label: string, auto: string) => (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">{label}</label>
      <input id={id} name={name} type="password" autoComplete={auto} required className={`${inputClass} mt-1`} />
    </div>
  );

  return (
    <form onSubmit={submit} method="post" className="space-y-4" noValidate>
      {error ? <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">{error}</div> : null}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      {needsCurrent ? field("current-password", "current", "Current password", "current-password") : null}
      {field("new-password", "new", "New password", "new-password")}
      {field("confirm-password", "confirm", "Confirm new password", "new-password")}
      <p className="text-xs text-slate-500">At least {MIN} characters. A passphrase of a few words works well.</p>
      <button type="submit" disabled={pending || !hydrated} className={`${buttonClass("primary")} w-full py-2.5`}>
        {pending ? "Saving…" : "Set password"}
      </button>
    </form>
  );
}
