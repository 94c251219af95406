"use client";
/**
 * Adds a webhook — Ferry's signed JSON, or a Slack (or Mattermost) incoming webhook that gets a chat message — and shows
 * its signing secret, the only time it is ever shown.
 */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Field, Input, Select } from "@/components/ui/form";
import { useJsonRequest } from "@/components/ui/use-json-request";
import type { WebhookFormat } from "@/lib/webhooks/slack-message";

export function WebhookForm() {
  const { send, pending, error } = useJsonRequest();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [format, setFormat] = useState<WebhookFormat>("json");
  const [secret, setSecret] = useState<string | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const created = await send("POST", "/api/webhooks", { name, url, format });
    if (created) {
      setSecret(String(created.secret));
      setName("");
      setUrl("");
      setFormat("json");
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Add webhook">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_2fr_auto_auto] sm:items-end">
        <Field label="Name" htmlFor="webhook-name">
          <Input id="webhook-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="ops-pager" />
        </Field>
        <Field label="URL" htmlFor="webhook-url">
          <Input
            id="webhook-url"
            type="url"
            value={url}
            onChange={(e) => {
              setUrl(e.target.value);
              // A Slack incoming-webhook URL says what it is: pick its format (the select can still change it).
              if (/^https:\/\/hooks\.slack\.com\//.test(e.target.value)) setFormat("slack");
            }}
            required
            placeholder="https://hooks.example.com/ferry"
          />
        </Field>
        <Field label="Sends" htmlFor="webhook-format">
          <Select id="webhook-format" value={format} onChange={(e) => setFormat(e.target.value as WebhookFormat)}>
            <option value="json">Ferry JSON, signed</option>
            <option value="slack">Slack message</option>
          </Select>
        </Field>
        <Button type="submit" disabled={pending || !name.trim() || !url.trim()}>Add webhook</Button>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {secret ? (
        <Alert tone="success">
          Webhook added. Its signing secret is shown this once — store it with the receiver:
          <code className="mt-1 block select-all break-all rounded bg-white/70 px-2 py-1 font-mono text-xs" data-testid="webhook-secret">{secret}</code>
        </Alert>
      ) : null}
    </form>
  );
}
