"use client";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert, Input, Select } from "@/components/ui/form";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { RoleOptions } from "./role-options";
import { SecretReveal } from "./secret-reveal";
import { useHydrated } from "./use-hydrated";
import { useJsonRequest } from "@/components/ui/use-json-request";
import type { Role } from "@/lib/auth/roles";

export interface TokenRow {
  id: string;
  name: string;
  role: Role;
  scopes: string[];
  prefix: string;
  status: "active" | "revoked" | "expired";
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  createdBy: { email: string } | null;
}

const STATUS_TONE = { active: "green", revoked: "red", expired: "gray" } as const;
const SCOPE_HELP = { read: "GET /api", write: "mutations", infer: "data plane" } as const;

export function TokensPanel({ tokens }: { tokens: TokenRow[] }) {
  const create = useJsonRequest();
  const revoke = useJsonRequest();
  const hydrated = useHydrated();
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    // Uncontrolled fields: values typed before hydration are kept.
    const form = e.currentTarget;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    const role = String(data.get("role") ?? "operator");
    const scopes = data.getAll("scopes").map(String);
    const expires = String(data.get("expiresInDays") ?? "");
    if (!name) return create.setError("Give the token a name.");
    if (!scopes.length) return create.setError("Choose at least one scope.");
    const res = await create.send<{ secret: string; token: TokenRow }>("POST", "/api/tokens", {
      name, role, scopes, ...(expires ? { expiresInDays: Number(expires) } : {}),
    });
    if (res) {
      setSecret({ name: res.token.name, value: res.secret });
      (form.elements.namedItem("name") as HTMLInputElement).value = "";
    }
  }

  return (
    <Card>
      <CardHeader title="API tokens" description="For CI pipelines, the CLI and inference clients (Authorization: Bearer …). Stored hashed; the secret is shown once." />
      <CardBody className="border-b border-slate-100">
        <form onSubmit={submit} method="post" className="grid grid-cols-1 gap-3 sm:grid-cols-2 sm:items-end xl:grid-cols-[2fr_1fr_auto_1fr_auto]">
          <div>
            <label htmlFor="token-name" className="block text-sm font-medium text-slate-700">Token name</label>
            <Input id="token-name" name="name" className="mt-1" placeholder="e.g. github-actions" required maxLength={100} />
          </div>
          <div>
            <label htmlFor="token-role" className="block text-sm font-medium text-slate-700">Token role</label>
            <Select id="token-role" name="role" className="mt-1" defaultValue="operator">
              <RoleOptions />
            </Select>
          </div>
          <fieldset>
            <legend className="block text-sm font-medium text-slate-700">Scopes</legend>
            <div className="mt-1 flex h-[38px] items-center gap-3">
              {(["read", "write", "infer"] as const).map((s) => (
                <label key={s} className="flex items-center gap-1.5 text-sm text-slate-700" title={SCOPE_HELP[s]}>
                  <input
                    type="checkbox"
                    className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500"
                    name="scopes"
                    value={s}
                    defaultChecked={s !== "write"}
                  />
                  {s}
                </label>
              ))}
            </div>
          </fieldset>
          <div>
            <label htmlFor="token-expiry" className="block text-sm font-medium text-slate-700">Expires</label>
            <Select id="token-expiry" name="expiresInDays" className="mt-1" defaultValue="90">
              <option value="7">in 7 days</option>
              <option value="30">in 30 days</option>
              <option value="90">in 90 days</option>
              <option value="365">in 1 year</option>
              <option value="">never</option>
            </Select>
          </div>
          <Button type="submit" disabled={create.pending || !hydrated}>
            {create.pending ? "Creating…" : "Create token"}
          </Button>
        </form>
        {create.error ? <div className="mt-3"><Alert>{create.error}</Alert></div> : null}
        {secret ? (
          <div className="mt-4">
            <SecretReveal
              label={`Token “${secret.name}” created`}
              secret={secret.value}
              testId="token-secret"
              note="Copy it now: this secret will not be shown again. Only its hash is stored."
              onDone={() => setSecret(null)}
            />
          </div>
        ) : null}
      </CardBody>
      {revoke.error ? <div className="px-5 pt-3"><Alert>{revoke.error}</Alert></div> : null}
      {tokens.length ? (
        <Table>
          <thead>
            <tr>
              <Th>Name</Th><Th>Prefix</Th><Th>Role</Th><Th>Scopes</Th><Th>Created</Th><Th>Last used</Th><Th>Expires</Th><Th>Status</Th><Th><span className="sr-only">Actions</span></Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.map((t) => (
              <Tr key={t.id}>
                <Td>
                  {/* Names run to 100 characters ("nightly retrain pipeline of the fraud team"): they wrap, within the card. */}
                  <div className="max-w-[14rem] whitespace-normal font-medium text-slate-900 [overflow-wrap:anywhere]">{t.name}</div>
                  {t.createdBy ? <div className="max-w-[14rem] truncate text-xs text-slate-500" title={t.createdBy.email}>by {t.createdBy.email}</div> : <div className="text-xs text-slate-500">system</div>}
                </Td>
                <Td><code className="font-mono text-xs text-slate-600">{t.prefix}…</code></Td>
                <Td>{t.role}</Td>
                <Td><span className="flex gap-1">{t.scopes.map((s) => <Badge key={s}>{s}</Badge>)}</span></Td>
                <Td title={formatDateTime(t.createdAt)}>{formatRelative(t.createdAt)}</Td>
                <Td title={t.lastUsedAt ? formatDateTime(t.lastUsedAt) : undefined}>{formatRelative(t.lastUsedAt)}</Td>
                <Td>{t.expiresAt ? formatDateTime(t.expiresAt).slice(0, 10) : <span className="text-slate-400">never</span>}</Td>
                <Td><Badge tone={STATUS_TONE[t.status]}>{t.status}</Badge></Td>
                <Td className="text-right">
                  {t.status === "active" ? (
                    <Button
                      variant="secondary"
                      size="sm"
                      disabled={revoke.pending}
                      onClick={() => {
                        if (window.confirm(`Revoke the token “${t.name}”? Clients using it stop working within seconds.`)) {
                          void revoke.send("DELETE", `/api/tokens/${t.id}`);
                        }
                      }}
                    >
                      Revoke
                    </Button>
                  ) : null}
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="px-5 py-8 text-center text-sm text-slate-500">No tokens yet. Create one for your CI pipeline or an inference client.</p>
      )}
    </Card>
  );
}
