"use client";
/**
 * Sends one JSON request to an /api route, refreshes the server-rendered page on success and keeps the error to
 * show. The one fetch wrapper of the dashboard's forms and buttons.
 */
import { useState } from "react";
import { useRouter } from "next/navigation";

export interface JsonAnswer<T> {
  status: number;
  body: T;
}

export function useJsonRequest() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  /**
   * The answer, or null after an error (then `error` says what went wrong). `refresh: false` when the caller navigates
   * away instead (refreshing a page whose object was just deleted would render its 404 first).
   */
  async function request<T = Record<string, unknown>>(method: string, url: string, body?: unknown, opts: { refresh?: boolean } = {}): Promise<JsonAnswer<T> | null> {
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      const res = await fetch(url, {
        method,
        headers: body === undefined ? undefined : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json().catch(() => ({}))) as { error?: unknown };
      if (!res.ok) {
        setError(typeof json.error === "string" ? json.error : `request failed (${res.status})`);
        return null;
      }
      if (opts.refresh !== false) router.refresh();
      return { status: res.status, body: json as T };
    } catch {
      setError("The server could not be reached.");
      return null;
    } finally {
      setPending(false);
    }
  }

  /** The answer's body, or null after an error. */
  async function send<T = Record<string, unknown>>(method: string, url: string, body?: unknown): Promise<T | null> {
    return (await request<T>(method, url, body))?.body ?? null;
  }

  return { send, request, pending, error, setError, notice, setNotice };
}
