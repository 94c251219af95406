"use client";
import { useRouter } from "next/navigation";
import type { MonitoredEndpoint } from "@/lib/metrics/query-monitored-endpoints";
import { Select } from "@/components/ui/form";

/** Switches the monitoring page to another endpoint (its own URL, so it can be linked and bookmarked). */
export function EndpointSelector({ endpoints, current }: { endpoints: MonitoredEndpoint[]; current: string }) {
  const router = useRouter();
  return (
    <div className="w-64">
      <label htmlFor="monitoring-endpoint" className="sr-only">Endpoint</label>
      <Select id="monitoring-endpoint" data-testid="endpoint-selector" value={current} onChange={(e) => router.push(`/monitoring/${encodeURIComponent(e.target.value)}`)}>
        {endpoints.map((e) => (
          <option key={e.name} value={e.name}>
            {e.name} ({e.model})
          </option>
        ))}
      </Select>
    </div>
  );
}
