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


export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

function Toggle({ checked, onChange, label, disabled }: { checked: boolean; onChange: (v: boolean) => void; label: string; disabled?: boolean }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      disabled={disabled}
      onClick={() => onChange(!checked)}
      className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors disabled:opacity-50 ${checked ? "bg-red-500" : "bg-slate-200"}`}
    >
      <span className={`inline-block h-4 w-4 rounded-full bg-white shadow ring-0 transition-transform ${checked ? "translate-x-4.5" : "translate-x-0.5"}`} />
    </button>
  );
}

export function UsersPanel({ users, currentUserId }: { users: UserRow[]; currentUserId: string }) {
  const invite = useJsonRequest();
  const update = useJsonRequest();
  const hydrated = useHydrated();
  const [otp, setOtp] = useState<{ email: string; password: string } | null>(null);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const email = String(data.get("email") ?? "").trim();
    if (!email) return invite.setError("Enter the email address to invite.");
    const res = await invite.send<{ oneTimePassword: string; user: UserRow }>("POST", "/api/users", { email, role: data.get("role") });
    if (res) {
      setOtp({ email: res.user.email, password: res.oneTimePassword });
      form.reset();
    }
  }

  return (
    <Card>
      <CardHeader title="Users" description="Viewers read; operators upload, promote, route and review alerts; admins also manage users and tokens. Changes apply on the user's next request." />
      <CardBody className="border-b border-slate-100">
        <form onSubmit={submit} method="post" className="grid grid-cols-1 gap-3 md:grid-cols-[2fr_1fr_auto] md:items-end">
          <div>
            <label htmlFor="invite-email" className="block text-sm font-medium text-slate-700">Invite by email</label>
            <Input id="invite-email" name="email" type="email" className="mt-1" placeholder="colleague@company.com" required />
          </div>
          <div>
            <label htmlFor="invite-role" className="block text-sm font-medium text-slate-700">Role</label>
            <Select id="invite-role" name="role" className="mt-1" defaultValue="viewer">
              <RoleOptions />
            </Select>
          </div>
          <Button type="submit" disabled={invite.pending || !hydrated}>{invite.pending ? "Inviting…" : "Invite user"}</Button>
        </form>
        {invite.error ? <div className="mt-3"><Alert>{invite.error}</Alert></div> : null}
        {otp ? (
          <div className="mt-4">
            <SecretReveal
              label={`One-time password for ${otp.email}`}
              secret={otp.password}
              testId="one-time-password"
              note="Send it to them over a safe channel. It is shown only now; they choose their own password at first sign-in."
              onDone={() => setOtp(null)}
            />
          </div>
        ) : null}
      </CardBody>
      {update.error ? <div className="px-5 pt-3"><Alert>{update.error}</Alert></div> : null}
      <Table>
        <thead>
          <tr><Th>User</Th><Th>Role</Th><Th>Disabled</Th><Th>Last sign-in</Th><Th>Created</Th></tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {users.map((u) => (
            <Tr key={u.id} className={u.disabled ? "bg-slate-50/80" : undefined}>
              <Td>
                <div className="flex items-center gap-2">
                  <span className={`font-medium ${u.disabled ? "text-slate-400 line-through" : "text-slate-900"}`}>{u.email}</span>
                  {u.id === currentUserId ? <Badge tone="blue">you</Badge> : null}
                  {u.mustChangePassword ? <Badge tone="yellow">invited</Badge> : null}
                </div>
                {u.name ? <div className="text-xs text-slate-500">{u.name}</div> : null}
              </Td>
              <Td>
                <Select
                  aria-label={`Role of ${u.email}`}
                  className="w-32 py-1"
                  value={u.role}
                  disabled={update.pending}
                  onChange={(e) => void update.send("PATCH", `/api/users/${u.id}`, { role: e.target.value })}
                >
                  <RoleOptions />
                </Select>
              </Td>
              <Td>
                <Toggle
                  checked={u.disabled}
                  label={`Disable ${u.email}`}
                  disabled={update.pending}
                  onChange={(v) => {
                    if (!v || window.confirm(`Disable ${u.email}? Their sessions and tokens stop working at once.`)) {
                      void update.send("PATCH", `/api/users/${u.id}`, { disabled: v });
                    }
                  }}
                />
              </Td>
              <Td title={u.lastLoginAt ? formatDateTime(u.lastLoginAt) : undefined}>{formatRelative(u.lastLoginAt)}</Td>
              <Td title={formatDateTime(u.createdAt)}>{formatRelative(u.createdAt)}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}
