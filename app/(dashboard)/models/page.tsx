import Link from "next/link";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { roleAtLeast } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { listModels } from "@/lib/registry/list-models";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Alert, Input } from "@/components/ui/form";
import { buttonClass } from "@/components/ui/button";
import { formatRelative } from "@/components/ui/format";
import { VersionStatusBadge } from "@/components/models/version-status-badge";
import { AliasBadges } from "@/components/models/alias-badges";

export const dynamic = "force-dynamic";
export const metadata = { title: "Models" };

function UploadExample() {
  return (
    <pre className="mt-3 overflow-x-auto rounded-md bg-slate-900 p-3 text-left text-xs text-slate-100">
      {`# from a pipeline (FERRY_URL, FERRY_TOKEN set)
ferry upload model.onnx --model fraud --reference reference.csv

# or with curl
curl -H "Authorization: Bearer $FERRY_TOKEN" \\
  -F file=@model.onnx -F reference=@reference.csv \\
  $FERRY_URL/api/models/fraud/versions`}
    </pre>
  );
}

export default async function ModelsPage({ searchParams }: { searchParams: Promise<{ q?: string; deleted?: string }> }) {
  const user = await requirePageUser();
  const { q, deleted } = await searchParams;
  const models = await listModels({ db: await getDb(), q });
  const canUpload = roleAtLeast(user.role, "operator");
  const newButton = canUpload ? <Link href="/models/new" className={buttonClass()}>New model</Link> : null;

  return (
    <>
      <PageHeader title="Models" description="Every model version uploaded to Ferry, its validation status and the aliases that name it." actions={newButton} />
      {deleted ? <div className="mb-4"><Alert tone="success">{`Model '${deleted.slice(0, 100)}' deleted, with its versions.`}</Alert></div> : null}
      {!models.length && !q ? (
        <EmptyState
          title="No models yet"
          description={
            <>
              Upload an ONNX model to register its first version. Ferry validates it in an isolated process, records its
              signature and keeps every version for promotion and rollback.
              <UploadExample />
            </>
          }
          action={newButton}
        />
      ) : (
        <>
          <form className="mb-4 flex max-w-md gap-2" role="search">
            <Input name="q" defaultValue={q ?? ""} placeholder="Search by name, description or tag" aria-label="Search models" />
            <button className={buttonClass("secondary")} type="submit">Search</button>
          </form>
          <Card>
            {models.length ? (
              <Table>
                <thead>
                  <tr>
                    <Th>Name</Th>
                    <Th>Latest version</Th>
                    <Th>Aliases</Th>
                    <Th>Endpoints</Th>
                    <Th>Last upload</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {models.map((m) => (
                    <Tr key={m.name}>
                      <Td>
                        <Link className="font-medium text-brand-700 hover:underline" href={`/models/${m.name}`}>{m.name}</Link>
                        {m.description ? <div className="max-w-xs truncate text-xs text-slate-500">{m.description}</div> : null}
                      </Td>
                      <Td>
                        {m.latest ? (
                          <span className="flex items-center gap-2">
                            <Link className="hover:underline" href={`/models/${m.name}/versions/${m.latest.version}`}>v{m.latest.version}</Link>
                            <VersionStatusBadge status={m.latest.status} />
                          </span>
                        ) : "—"}
                      </Td>
                      <Td>
                        <AliasBadges aliases={m.aliases.map((a) => a.name)} />
                      </Td>
                      <Td>
                        {m.endpoints.length
                          ? m.endpoints.map((e, i) => (
                              <span key={e}>
                                {i ? ", " : ""}
                                <Link className="hover:underline" href={`/endpoints/${e}`}>{e}</Link>
                              </span>
                            ))
                          : <span className="text-slate-400">—</span>}
                      </Td>
                      <Td title={m.lastUploadAt ?? undefined}>
                        {formatRelative(m.lastUploadAt)}
                        {m.lastUploadBy ? <span className="text-slate-400"> · {m.lastUploadBy}</span> : null}
                      </Td>
                    </Tr>
                  ))}
                </tbody>
              </Table>
            ) : (
              <p className="px-5 py-8 text-center text-sm text-slate-500">No model matches “{q}”.</p>
            )}
          </Card>
        </>
      )}
    </>
  );
}
