"use client";
/** The endpoint page's "Delete endpoint": what goes (the endpoint and what hangs on it) and what stays (the model). */
import { DeleteCard } from "@/components/ui/delete-card";

export function DeleteEndpointCard({ endpoint, model }: { endpoint: string; model: string }) {
  return (
    <DeleteCard
      title="Delete endpoint"
      description="Stop serving this name. The model and its versions stay in the registry."
      name={endpoint}
      url={`/api/endpoints/${encodeURIComponent(endpoint)}`}
      after={`/endpoints?deleted=${encodeURIComponent(endpoint)}`}
      testId="delete-endpoint"
    >
      Clients calling <code>{endpoint}</code> get 404 at once. Its timeline, canary rollouts, alerts and drift and alert
      settings are deleted; the audit log keeps its last routing. <code>{model}</code> and its versions are not touched.
    </DeleteCard>
  );
}
