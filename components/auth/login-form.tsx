"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "@/components/settings/use-hydrated";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/form";

const INVALID = "Email or password is incorrect";

/** Turns next-auth's error code into what the user reads. `throttled:<seconds>` comes from the throttle. */
export function loginErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  const m = /^throttled:(\d+)/.exec(code);
  if (m) {
    const minutes = Math.max(1, Math.ceil(Number(m[1]) / 60));
    return `Too many attempts, try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  if (code === "CredentialsSignin") return INVALID;
  if (code === "SessionRequired") return null;
  return "Sign-in failed. Please try again.";
}

export function LoginForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string | null }) {
  const router = useRouter();
  // Until hydrated, a click would submit the form natively; keep the button disabled until this code runs.
  const ready = useHydrated();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(loginErrorMessage(initialError));

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    // Uncontrolled fields: what was typed before hydration is kept.
    const data = new FormData(form);
    const email = String(data.get("email") ?? "");
    const password = String(data.get("password") ?? "");
    if (!email || !password) return setError("Enter your email and password.");
    setPending(true);
    setError(null);
    try {
      const res = await signIn("credentials", { email, password, redirect: false, callbackUrl });
      if (res?.ok && !res.error) {
        router.replace(callbackUrl);
        router.refresh();
        return;
      }
      setError(loginErrorMessage(res?.error) ?? INVALID);
      const pw = form.elements.namedItem("password") as HTMLInputElement | null;
      if (pw) pw.value = "";
    } catch {
      setError("The server could not be reached. Please try again.");
    }
    setPending(false);
  }

  return (
    <form onSubmit={submit} method="post" className="space-y-4" noValidate>
      {error ? (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">{error}</div>
      ) : null}
      <div>
        <label htmlFor="email" className="block text-sm font-medium text-slate-700">Email</label>
        <input
          id="email" name="email" type="email" autoComplete="username" required autoFocus
          className={`${inputClass} mt-1`} placeholder="you@company.com"
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium text-slate-700">Password</label>
        <input
          id="password" name="password" type="password" autoComplete="current-password" required
          className={`${inputClass} mt-1`}
        />
      </div>
      <button type="submit" disabled={pending || !ready} className={`${buttonClass("primary")} w-full py-2.5`}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
