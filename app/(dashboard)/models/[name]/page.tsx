import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { roleAtLeast } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { getModel } from "@/lib/registry/get-model";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/form";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { buttonClass } from "@/components/ui/button";
import { formatBytes, formatDateTime, formatRelative } from "@/components/ui/format";
import { VersionStatusBadge } from "@/components/models/version-status-badge";
import { AliasBadges } from "@/components/models/alias-badges";
import { UploadDropzone } from "@/components/models/upload-dropzone";
import { AliasPanel } from "@/components/models/alias-panel";
import { AliasHistory } from "@/components/models/alias-history";
import { ModelDetailsForm } from "@/components/models/model-details-form";
import { DeleteModelCard } from "@/components/models/delete-model-card";
import { metricsSummary } from "@/lib/registry/version-metrics";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: decodeURIComponent((await params).name) };
}

async function load(name: string) {
  try {
    return await getModel({ db: await getDb(), name });
  } catch (e) {
    if (isAppError(e) && (e.code === "not_found" || e.code === "bad_request")) notFound();
    throw e;
  }
}

/** Who uploaded a version, how and from where: "token:ci via ci from 10.0.0.4". */
function uploader(v: { uploadedBy: string | null; source: string | null; uploadedFrom: string | null }): string {
  return `${v.uploadedBy ?? "—"}${v.source ? ` via ${v.source}` : ""}${v.uploadedFrom ? ` from ${v.uploadedFrom}` : ""}`;
}

export default async function ModelPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<{ deleted?: string }> }) {
  const user = await requirePageUser();
  const model = await load(decodeURIComponent((await params).name));
  // Set by a version page after deleting that version (components/models/version-actions.tsx).
  const { deleted: deletedParam } = await searchParams;
  const deleted = /^\d{1,9}$/.test(deletedParam ?? "") ? Number(deletedParam) : undefined;
  const canEdit = roleAtLeast(user.role, "operator");
  const href = (v: number) => `/models/${model.name}/versions/${v}`;

  return (
    <>
      <PageHeader
        breadcrumb={<Link href="/models" className="hover:underline">Models</Link>}
        title={model.name}
        description={`${model.versions.length} version${model.versions.length === 1 ? "" : "s"} · created ${formatRelative(model.createdAt)}`}
      />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-3">
        <div className="space-y-6 xl:col-span-2">
          <Card>
            <CardHeader title="Versions" />
            {deleted !== undefined && !model.versions.some((v) => v.version === deleted) ? (
              <div className="border-b border-slate-100 px-5 py-3"><Alert tone="success">Deleted v{deleted}.</Alert></div>
            ) : null}
            <Table>
              <thead>
                <tr>
                  <Th>Version</Th>
                  <Th>Status</Th>
                  <Th>Size</Th>
                  <Th>Uploaded</Th>
                  <Th>Aliases</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {model.versions.map((v) => (
                  <Tr key={v.version}>
                    <Td>
                      <Link href={href(v.version)} className="font-medium text-brand-700 hover:underline">v{v.version}</Link>
                      {Object.keys(v.metrics).length ? (
                        <div className="max-w-[8rem] truncate text-xs text-slate-500" title={metricsSummary(v.metrics, Infinity)}>{metricsSummary(v.metrics, 1)}</div>
                      ) : null}
                    </Td>
                    <Td>
                      <VersionStatusBadge status={v.status} title={v.statusReason} />
                      {v.status === "failed" && v.statusReason ? (
                        <div className="max-w-[16rem] truncate text-xs text-red-700" title={v.statusReason}>{v.statusReason}</div>
                      ) : null}
                    </Td>
                    <Td className="tabular-nums">{formatBytes(v.sizeBytes)}</Td>
                    <Td title={formatDateTime(v.createdAt)}>
                      {formatRelative(v.createdAt)}
                      <div className="max-w-[11rem] truncate text-xs text-slate-500" title={uploader(v)}>{uploader(v)}</div>
                    </Td>
                    <Td><AliasBadges aliases={v.aliases} /></Td>
                  </Tr>
                ))}
                {model.versions.length === 0 ? (
                  <tr>
                    <td colSpan={5} className="px-5 py-6 text-center text-sm text-slate-500">
                      No versions left{canEdit ? ": upload one below." : "."}
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </Table>
          </Card>
          {canEdit ? (
            <Card>
              <CardHeader title="Upload a new version" description="The next version number is assigned on upload; it becomes usable once validation passes." />
              <CardBody>
                <UploadDropzone model={model.name} />
              </CardBody>
            </Card>
          ) : null}
          <Card>
            <CardHeader title="Alias history" description="Every move of every alias; “Roll back” returns an alias to its previous target." />
            <AliasHistory history={model.aliasHistory} />
          </Card>
        </div>
        <div className="space-y-6">
          <Card>
            <CardHeader title="Details" />
            <CardBody>
              <ModelDetailsForm model={model.name} description={model.description} tags={model.tags} requireApproval={model.requireApproval} canEdit={canEdit} />
              <p className="mt-3 text-sm text-slate-600">
                {model.endpoints.length ? (
                  <>
                    Served by{" "}
                    {model.endpoints.map((e, i) => (
                      <span key={e.name}>{i ? ", " : ""}<Link className="text-brand-700 hover:underline" href={`/endpoints/${e.name}`}>{e.name}</Link></span>
                    ))}
                  </>
                ) : (
                  "No endpoint serves it yet."
                )}
              </p>
              {canEdit && model.versions.some((v) => v.status === "ready") ? (
                <Link className={`${buttonClass("secondary", "sm")} mt-2`} href={`/endpoints/new?model=${encodeURIComponent(model.name)}`}>
                  {model.endpoints.length ? "New endpoint" : "Create an endpoint"}
                </Link>
              ) : null}
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Aliases" description="Stable names for versions. Endpoints that route to an alias follow it at once." />
            <CardBody>
              <AliasPanel
                model={model.name}
                canEdit={canEdit}
                currentUserLabel={user.email}
                versions={model.versions.map((v) => ({ version: v.version, status: v.status, metrics: v.metrics }))}
                aliases={model.aliases}
                requests={model.promotionRequests}
              />
            </CardBody>
          </Card>
          {canEdit ? <DeleteModelCard model={model.name} versions={model.versions.length} endpoints={model.endpoints.map((e) => e.name)} /> : null}
        </div>
      </div>
    </>
  );
}
