import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { roleAtLeast } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { getDriftReport } from "@/lib/drift/get-drift-report";
import { PageHeader } from "@/components/ui/page-header";
import { DriftView } from "@/components/drift/drift-view";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: `Drift · ${decodeURIComponent((await params).name)}` };
}

export default async function EndpointDriftPage({ params }: { params: Promise<{ name: string }> }) {
  const user = await requirePageUser();
  const name = decodeURIComponent((await params).name);
  let report;
  try {
    report = await getDriftReport({ db: await getDb(), endpointName: name });
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
    </>
  );
}
