"use client";
/** Calls a JSON /api mutation, refreshes the server components on success, and keeps the error to show. */
import { useState } from "react";
import { useRouter } from "next/navigation";

export function useApiMutation() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function send(method: string, url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> } | null> {
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      const res = await fetch(url, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (!res.ok) {
        setError(typeof json.error === "string" ? json.error : `request failed (${res.status})`);
        return null;
      }
      router.refresh();
      return { status: res.status, body: json };
    } catch {
      setError("the server could not be reached");
      return null;
    } finally {
      setPending(false);
    }
  }

  return { send, pending, error, notice, setNotice, setError };
}
