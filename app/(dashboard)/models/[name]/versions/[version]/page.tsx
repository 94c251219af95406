import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { roleAtLeast } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { getVersion } from "@/lib/registry/get-version";
import { getModel } from "@/lib/registry/get-model";
import { compareSignatures } from "@/lib/registry/compare-signatures";
import type { ModelSignature } from "@/lib/tensor/datatypes";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/form";
import { buttonClass } from "@/components/ui/button";
import { formatBytes, formatDateTime, formatMs } from "@/components/ui/format";
import { VersionStatusBadge } from "@/components/models/version-status-badge";
import { AliasBadges } from "@/components/models/alias-badges";
import { SignatureTable } from "@/components/models/signature-table";
import { LabelsEditor } from "@/components/models/labels-editor";
import { ReferenceSummaryView } from "@/components/models/reference-summary";
import { VersionActions } from "@/components/models/version-actions";
import { Select } from "@/components/ui/form";
import { CallVersion } from "@/components/models/call-version";
import { VersionMetricsList } from "@/components/models/version-metrics";
import { config } from "@/lib/config";

export const dynamic = "force-dynamic";

type Params = { name: string; version: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  const p = await params;
  return { title: `${decodeURIComponent(p.name)} v${p.version}` };
}

async function load(name: string, version: string) {
  const db = await getDb();
  try {
    return { v: await getVersion({ db, name, version }), model: await getModel({ db, name, historyLimit: 0 }) };
  } catch (e) {
    if (isAppError(e) && (e.code === "not_found" || e.code === "bad_request")) notFound();
    throw e;
  }
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-2 py-1.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="col-span-2 break-words text-slate-800">{children}</dd>
    </div>
  );
}

export default async function VersionPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<{ compare?: string }> }) {
  const user = await requirePageUser();
  const p = await params;
  const { compare } = await searchParams;
  const { v, model } = await load(decodeURIComponent(p.name), p.version);
  const base = `/models/${v.model}`;
  // The compared version in full: the model's list leaves class labels out of its signatures.
  const other = compare && model.versions.some((x) => String(x.version) === compare) ? await getVersion({ db: await getDb(), name: v.model, version: compare }) : undefined;
  const differences = other?.signature && v.signature ? compareSignatures(other.signature as ModelSignature, v.signature as ModelSignature) : undefined;
  const metadataEntries = Object.entries(v.metadata ?? {});

  return (
    <>
      <PageHeader
        breadcrumb={
          <>
            <Link href="/models" className="hover:underline">Models</Link> / <Link href={base} className="hover:underline">{v.model}</Link>
          </>
        }
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            {v.model} v{v.version} <VersionStatusBadge status={v.status} /> <AliasBadges aliases={v.aliases} />
          </span>
        }
        description={v.description || undefined}
        actions={
          <div className="flex items-start gap-2">
            <a className={buttonClass("secondary")} href={`/api/models/${v.model}/versions/${v.version}/download`} download>Download .onnx</a>
            {roleAtLeast(user.role, "operator") ? <VersionActions model={v.model} version={v.version} status={v.status} /> : null}
          </div>
        }
      />
      {v.status === "failed" ? <div className="mb-6"><Alert>Validation failed: {v.statusReason}</Alert></div> : null}
      {v.status === "validating" ? <div className="mb-6"><Alert tone="info">Validating… refresh in a moment.</Alert></div> : null}

      <div className="grid grid-cols-1 gap-6 xl:grid-cols-3">
        <div className="space-y-6 xl:col-span-2">
          <Card>
            <CardHeader
              title={other ? `Signature compared with v${other.version}` : "Signature"}
              description={other ? (differences?.length ? `${differences.length} difference${differences.length > 1 ? "s" : ""}; breaking ones in red.` : "Identical signatures.") : "Inputs and outputs with Open Inference Protocol datatypes; ? is a dynamic dimension."}
              actions={
                <form className="flex items-center gap-2 text-sm">
                  <label htmlFor="compare" className="whitespace-nowrap text-slate-500">Compare with</label>
                  <Select id="compare" name="compare" defaultValue={compare ?? ""} className="w-20">
                    <option value="">—</option>
                    {model.versions.filter((x) => x.version !== v.version && x.signature).map((x) => (
                      <option key={x.version} value={x.version}>v{x.version}</option>
                    ))}
                  </Select>
                  <button className={buttonClass("secondary", "sm")} type="submit">Compare</button>
                </form>
              }
            />
            {v.signature ? <SignatureTable signature={v.signature as ModelSignature} differences={differences} /> : <CardBody className="text-sm text-slate-500">No signature (the version did not validate).</CardBody>}
            {v.signature && roleAtLeast(user.role, "operator") ? <LabelsEditor model={v.model} version={v.version} hasLabels={!!(v.signature as ModelSignature).labels} /> : null}
          </Card>
          {v.status === "ready" && v.signature ? (
            <CallVersion inferenceUrl={config().inferenceUrl} grpcPort={config().grpcPort} endpoints={v.endpoints} version={v.version} inputs={(v.signature as ModelSignature).inputs} outputs={(v.signature as ModelSignature).outputs} labels={(v.signature as ModelSignature).labels} />
          ) : null}
        </div>
        <div className="space-y-6">
          <Card>
            <CardHeader title="Metadata" />
            <CardBody>
              <dl className="divide-y divide-slate-100">
                <Row label="sha256"><span className="font-mono text-xs">{v.sha256}</span></Row>
                <Row label="Size">{formatBytes(v.sizeBytes)}</Row>
                <Row label="IR / opset">{v.irVersion ?? "—"} / {v.opset ?? "—"}</Row>
                <Row label="Producer">{v.producer ?? "—"}</Row>
                <Row label="Validation">{formatMs(v.validationMs)}</Row>
                {metadataEntries.map(([k, val]) => <Row key={k} label={k}>{val}</Row>)}
              </dl>
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Lineage" />
            <CardBody>
              <dl className="divide-y divide-slate-100">
                <Row label="Uploaded by">{v.uploadedBy ?? "—"}</Row>
                <Row label="When">{formatDateTime(v.createdAt)}</Row>
                <Row label="From">{v.uploadedFrom ?? "—"}</Row>
                <Row label="Source">{v.source ?? "—"}</Row>
                <Row label="Source URL">{v.sourceUrl ? <a className="text-brand-700 hover:underline" href={v.sourceUrl} rel="noreferrer noopener" target="_blank">{v.sourceUrl}</a> : "—"}</Row>
                <Row label="Parent version">
                  {v.parentVersion ? (
                    <>
                      <Link className="text-brand-700 hover:underline" href={`${base}/versions/${v.parentVersion}`}>v{v.parentVersion}</Link>{" "}
                      <Link className="text-xs text-slate-500 hover:underline" href={`${base}/versions/${v.version}?compare=${v.parentVersion}`}>(compare)</Link>
                    </>
                  ) : "—"}
                </Row>
                <Row label="Endpoints">{v.endpoints.length ? v.endpoints.map((e, i) => <span key={e}>{i ? ", " : ""}<Link className="text-brand-700 hover:underline" href={`/endpoints/${e}`}>{e}</Link></span>) : "—"}</Row>
              </dl>
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Training metrics" description={other ? `Beside v${other.version}'s, with the difference.` : undefined} />
            <CardBody>
              <VersionMetricsList metrics={v.metrics} other={other && { version: other.version, metrics: other.metrics }} />
            </CardBody>
          </Card>
        </div>
      </div>
      <div className="mt-6">
        <Card>
          <CardHeader title="Reference dataset" description="The data the model was trained on, kept as the baseline for drift detection." />
          <CardBody>
            {v.referenceSummary ? <ReferenceSummaryView summary={v.referenceSummary} /> : <p className="text-sm text-slate-500">No reference dataset was uploaded with this version. Upload one (CSV with a header row, or JSON rows) with the next version to enable drift detection.</p>}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
