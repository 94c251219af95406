/**
 * Webhooks management for the Settings page (admin): the hooks, a form to add one (its signing secret is shown
 * once), Send test / Delete per hook, and the recent deliveries with their outcome. A server component: it reads
 * through lib/ and its client parts refresh it after each change.
 */
import { getDb } from "@/lib/db/client";
import { listWebhooks } from "@/lib/webhooks/list-webhooks";
import { listDeliveries } from "@/lib/webhooks/list-deliveries";
import { deliveryJson } from "@/lib/webhooks/webhook-json";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { formatRelative } from "@/components/ui/format";
import { DeliveriesTable } from "./deliveries-table";
import { WebhookForm } from "./webhook-form";
import { WebhookRowActions } from "./webhook-row-actions";

export async function WebhooksPanel() {
  const db = await getDb();
  const [hooks, deliveries] = await Promise.all([listWebhooks(db), listDeliveries({ db, take: 25 })]);
  return (
    <section aria-labelledby="webhooks-heading" className="space-y-4">
      <Card>
        <CardHeader
          title={<span id="webhooks-heading">Webhooks</span>}
          description={
            <>
              Ferry POSTs alert events (opened, escalated, resolved) as JSON signed with{" "}
              <code className="text-xs">x-ferry-signature: sha256=&lt;HMAC-SHA256 of the body&gt;</code>, or to a Slack (or Mattermost)
              incoming webhook as a chat message with links back here; failed deliveries are retried after 10 s, 30 s, 2 min,
              10 min and 30 min.
            </>
          }
        />
        {hooks.length ? (
          <Table aria-label="Webhooks">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>URL</Th>
                <Th>Events</Th>
                <Th>Created</Th>
                <Th><span className="sr-only">Actions</span></Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {hooks.map((h) => (
                <Tr key={h.id}>
                  <Td className="font-medium text-slate-900">
                    {h.name} {h.enabled ? null : <Badge>disabled</Badge>}
                  </Td>
                  <Td className="max-w-xs truncate font-mono text-xs" title={h.url}>{h.url}</Td>
                  <Td className="text-xs">
                    {h.events.length ? h.events.join(", ") : "all events"}
                    {h.format === "slack" ? <div className="text-slate-500">as Slack messages</div> : null}
                  </Td>
                  <Td>{formatRelative(h.createdAt)}</Td>
                  <Td className="text-right"><WebhookRowActions id={h.id} name={h.name} /></Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <p className="px-5 py-4 text-sm text-slate-500">No webhooks yet: add one to be told when an alert opens or is resolved.</p>
        )}
        <CardBody className="border-t border-slate-100">
          <WebhookForm />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Recent deliveries" description="The last 25 deliveries to any webhook, newest first." />
        <DeliveriesTable deliveries={deliveries.map(deliveryJson)} />
      </Card>
    </section>
  );
}
