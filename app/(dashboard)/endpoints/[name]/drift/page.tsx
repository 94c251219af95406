import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { roleAtLeast } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { getDriftReport } from "@/lib/drift/get-drift-report";
import { getEndpointSettings } from "@/lib/settings/get-endpoint-settings";
import { PageHeader } from "@/components/ui/page-header";
import { DriftView } from "@/components/drift/drift-view";
import { EndpointSettingsPanel } from "@/components/drift/endpoint-settings-panel";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: `Drift · ${decodeURIComponent((await params).name)}` };
}

export default async function EndpointDriftPage({ params }: { params: Promise<{ name: string }> }) {
  const user = await requirePageUser();
  const name = decodeURIComponent((await params).name);
  let report;
  let settings;
  try {
    const db = await getDb();
    [report, settings] = await Promise.all([getDriftReport({ db, endpointName: name }), getEndpointSettings({ db, endpointName: name })]);
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  }
  return (
    <>
      <PageHeader
        breadcrumb={<><Link href="/endpoints" className="hover:underline">Endpoints</Link> / <Link href={`/endpoints/${encodeURIComponent(name)}`} className="hover:underline">{name}</Link></>}
        title="Data drift"
        description="Live traffic compared per feature with the serving version's reference, with Evidently's default tests and thresholds."
      />
      <DriftView endpoint={name} initial={JSON.parse(JSON.stringify(report))} canEvaluate={roleAtLeast(user.role, "operator")} />
      <div className="mt-8">
        <EndpointSettingsPanel
          endpoint={name}
          drift={JSON.parse(JSON.stringify(settings.drift))}
          alerts={JSON.parse(JSON.stringify(settings.alerts))}
          features={[...report.features, ...report.predictions].map((f) => ({ name: f.name, method: f.method }))}
          canEdit={roleAtLeast(user.role, "operator")}
        />
      </div>
    </>
  );
}
