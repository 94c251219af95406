import Link from "next/link";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { roleAtLeast } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { listEndpoints } from "@/lib/endpoints/list-endpoints";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { buttonClass } from "@/components/ui/button";
import { Alert } from "@/components/ui/form";
import { formatRelative } from "@/components/ui/format";
import { ShareBar } from "@/components/endpoints/share-bar";
import { StateSummary } from "@/components/endpoints/endpoint-state-badge";

export const dynamic = "force-dynamic";
export const metadata = { title: "Endpoints" };

function CreateExample() {
  return (
    <pre className="mt-3 overflow-x-auto rounded-md bg-slate-900 p-3 text-left text-xs text-slate-100">
      {`curl -X PUT -H "Authorization: Bearer $FERRY_TOKEN" \\
  -H "Content-Type: application/json" \\
  $FERRY_URL/api/endpoints/fraud -d '{
    "model": "fraud",
    "variants": [
      { "name": "stable",    "alias": "production", "weight": 90 },
      { "name": "candidate", "version": 4,          "weight": 10 }
    ]
  }'

# then call it with any Open Inference Protocol client
curl -H "Authorization: Bearer $FERRY_TOKEN" \\
  $FERRY_INFERENCE_URL/v2/models/fraud/infer -d '{"inputs": [...]}'`}
    </pre>
  );
}

export default async function EndpointsPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const user = await requirePageUser();
  const { deleted } = await searchParams;
  const endpoints = await listEndpoints({ db: await getDb() });
  const newButton = roleAtLeast(user.role, "operator") ? <Link href="/endpoints/new" className={buttonClass()}>New endpoint</Link> : null;
  return (
    <>
      <PageHeader
        title="Endpoints"
        description="The stable names clients call. Each endpoint splits its traffic between model versions; the data plane loads, warms and serves them."
        actions={newButton}
      />
      {deleted ? (
        <div className="mb-4">
          <Alert tone="success">{`Endpoint '${deleted}' deleted. Its model and versions are still in the registry.`}</Alert>
        </div>
      ) : null}
      {endpoints.length === 0 ? (
        <EmptyState
          title="No endpoints yet"
          description={
            <>
              An endpoint routes inference requests to versions of a model — by weight, header rules or a sticky key — so
              you can change what serves without touching clients. Create one here, or with the API:
              <CreateExample />
            </>
          }
          action={newButton}
        />
      ) : (
        <Card>
          <Table>
            <thead>
              <tr>
                <Th>Endpoint</Th>
                <Th>Model</Th>
                <Th>Variants</Th>
                <Th>Generation</Th>
                <Th>Changed</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {endpoints.map((e) => (
                <Tr key={e.name}>
                  <Td>
                    <Link className="font-medium text-brand-700 hover:underline" href={`/endpoints/${encodeURIComponent(e.name)}`}>{e.name}</Link>
                    {e.description ? <div className="max-w-xs truncate text-xs text-slate-500">{e.description}</div> : null}
                  </Td>
                  <Td>
                    <Link className="hover:underline" href={`/models/${encodeURIComponent(e.model)}`}>{e.model}</Link>
                  </Td>
                  <Td>
                    <ul className="space-y-1">
                      {e.variants.map((v) => (
                        <li key={v.name} className="flex flex-wrap items-center gap-2 text-sm">
                          <span className="w-24 truncate font-medium" title={v.name}>{v.name}</span>
                          <span className="w-28 text-xs text-slate-500">
                            {v.alias ? `${v.alias} → ` : ""}
                            {v.resolvedVersion !== null ? `v${v.resolvedVersion}` : "unresolved"}
                          </span>
                          <ShareBar share={v.share} />
                          <StateSummary states={v.states} />
                        </li>
                      ))}
                    </ul>
                  </Td>
                  <Td className="tabular-nums">{e.generation}</Td>
                  <Td title={e.updatedAt}>{formatRelative(e.updatedAt)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </Card>
      )}
    </>
  );
}
