"use client";
/** Sends a JSON request to an /api route, refreshes the server-rendered page on success and keeps the error. */
import { useRouter } from "next/navigation";
import { useState } from "react";

export function useJsonRequest() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send<T = Record<string, unknown>>(method: string, url: string, body?: unknown): Promise<T | null> {
    setPending(true);
    setError(null);
    try {
      const res = await fetch(url, {
        method,
        headers: body === undefined ? undefined : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json().catch(() => ({}))) as { error?: string };
      if (!res.ok) {
        setError(json.error ?? `request failed (${res.status})`);
        return null;
      }
      router.refresh();
      return json as T;
    } catch {
      setError("The server could not be reached.");
      return null;
    } finally {
      setPending(false);
    }
  }

  return { send, pending, error, setError };
}
