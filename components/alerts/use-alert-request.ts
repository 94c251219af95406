"use client";
/** Sends one JSON request to the alert/webhook API, refreshes the server-rendered page on success, keeps the error. */
import { useState } from "react";
import { useRouter } from "next/navigation";

export function useAlertRequest() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(method: string, url: string, body?: unknown): Promise<Record<string, unknown> | null> {
    setPending(true);
    setError(null);
    try {
      const res = await fetch(url, {
        method,
        headers: body === undefined ? undefined : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (!res.ok) {
        setError(typeof json.error === "string" ? json.error : `request failed (${res.status})`);
        return null;
      }
      router.refresh();
      return json;
    } catch {
      setError("the server could not be reached");
      return null;
    } finally {
      setPending(false);
    }
  }

  return { send, pending, error };
}
