"use client";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { NavIcon } from "./nav-icons";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/login" });
      }}
      title="Sign out"
      className="rounded-md px-2 py-1 text-xs font-medium text-slate-500 ring-1 ring-inset ring-slate-200 transition-colors hover:bg-slate-50 hover:text-slate-900 disabled:opacity-60"
    >
      <span className="max-lg:sr-only">Sign out</span>
      <span className="lg:hidden"><NavIcon name="signOut" /></span>
    </button>
  );
}
