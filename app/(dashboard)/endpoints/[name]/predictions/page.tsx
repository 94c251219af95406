import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { listPredictions, PREDICTION_LOG_RETENTION_DAYS, type PredictionFilters } from "@/lib/predictions/list-predictions";
import { MAX_EXPORT } from "@/app/api/endpoints/[name]/predictions/route.schema";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Select } from "@/components/ui/form";
import { Table, Th } from "@/components/ui/table";
import { buttonClass } from "@/components/ui/button";
import { PredictionRows } from "@/components/predictions/prediction-rows";
import { GroundTruthUpload } from "@/components/predictions/ground-truth-upload";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: `Predictions · ${decodeURIComponent((await params).name)}` };
}

type Search = { version?: string; outcome?: string; requestId?: string; cursor?: string };

/** The filters a person can set here, read leniently (a hand-edited address shows everything rather than an error). */
function filtersOf(search: Search): PredictionFilters {
  const version = Number(search.version);
  return {
    version: Number.isInteger(version) && version > 0 ? version : undefined,
    outcome: search.outcome === "ok" || search.outcome === "error" ? search.outcome : undefined,
    requestId: search.requestId?.trim().slice(0, 200) || undefined,
  };
}

const query = (f: PredictionFilters, extra: Record<string, string> = {}) =>
  new URLSearchParams({
    ...(f.version ? { version: String(f.version) } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(f.requestId ? { requestId: f.requestId } : {}),
    ...extra,
  }).toString();

/** Why the filtered page is empty, in words. */
function noMatch(name: string, f: PredictionFilters, paged: boolean, samplePercent: number): string {
  if (f.requestId) {
    return `No logged prediction of ${name} has request id '${f.requestId}'${f.version ? ` (served by v${f.version})` : ""}. The data plane logs a sample of ${samplePercent} % of the requests it answers, a few seconds after answering, so most ids are not in the log.`;
  }
  const outcome = f.outcome === "error" ? " ended in an error" : f.outcome === "ok" ? " was answered" : "";
  return `Nothing logged for ${name}${f.version ? ` by v${f.version}` : ""}${outcome}${paged ? " before this page" : ""}.`;
}

export default async function PredictionsPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<Search> }) {
  await requirePageUser("operator");
  const name = decodeURIComponent((await params).name);
  const search = await searchParams;
  const filters = filtersOf(search);
  const db = await getDb();
  let page;
  try {
    page = await listPredictions({ db, endpointName: name, filters, cursor: search.cursor, limit: 50 });
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    if (isAppError(e) && e.code === "bad_request") page = await listPredictions({ db, endpointName: name, filters, limit: 50 }); // a stale cursor: start over
    else throw e;
  }
  const versions = await db.modelVersion.findMany({ where: { model: { endpoints: { some: { name } } } }, select: { version: true }, orderBy: { version: "desc" } });
  const base = `/endpoints/${encodeURIComponent(name)}/predictions`;
  const sampleRate = config().logSampleRate;
  const samplePercent = Math.round(sampleRate * 1000) / 10;
  const download = `/api/endpoints/${encodeURIComponent(name)}/predictions?${query(filters, { format: "jsonl", limit: String(MAX_EXPORT) })}`;

  return (
    <>
      <PageHeader
        breadcrumb={<><Link href="/endpoints" className="hover:underline">Endpoints</Link> / <Link href={`/endpoints/${encodeURIComponent(name)}`} className="hover:underline">{name}</Link></>}
        title="Predictions"
        description={`Requests the data plane logged (a sample of ${samplePercent} % of answered requests, FERRY_LOG_SAMPLE_RATE): inputs, outputs, the version that served and its latency, with ground truth sent to the feedback API beside them. Newest first; kept ${PREDICTION_LOG_RETENTION_DAYS} days.`}
        actions={<a className={buttonClass("secondary")} href={download} download>Download JSONL</a>}
      />
      <Card className="mb-6">
        <CardHeader title="Add ground truth" description="What really happened for logged requests, by request id: it shows in the Truth column and feeds the experiment's quality figures. Or POST it to the feedback API from your pipeline." />
        <CardBody>
          <GroundTruthUpload endpoint={name} />
        </CardBody>
      </Card>
      <form className="mb-4 flex flex-wrap items-end gap-3" method="get">
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">Version</span>
          <Select name="version" defaultValue={filters.version ? String(filters.version) : ""} className="w-36">
            <option value="">all</option>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>{`v${v.version}`}</option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">Outcome</span>
          <Select name="outcome" defaultValue={filters.outcome ?? ""} className="w-36">
            <option value="">all</option>
            <option value="ok">answered (2xx)</option>
            <option value="error">errors</option>
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">Request id</span>
          <Input name="requestId" defaultValue={filters.requestId ?? ""} placeholder="x-request-id or the request's id" className="w-72 max-w-full" autoComplete="off" spellCheck={false} />
        </label>
        <button type="submit" className={buttonClass("secondary")}>Filter</button>
      </form>
      {page.predictions.length === 0 ? (
        search.cursor || filters.version || filters.outcome || filters.requestId ? (
          <EmptyState
            title="No predictions match"
            description={noMatch(name, filters, !!search.cursor, samplePercent)}
            action={<Link className={buttonClass("secondary")} href={base}>Show all predictions</Link>}
          />
        ) : (
          <EmptyState
            title="No predictions logged yet"
            description={
              sampleRate > 0
                ? `The data plane logs about ${samplePercent} % of the requests it answers, a few seconds after they are answered. Send traffic to ${name}, or a request with Try it on the endpoint's page.`
                : "Prediction logging is off (FERRY_LOG_SAMPLE_RATE=0). Set it between 0 and 1 to keep a sample of requests and answers."
            }
            action={<Link className={buttonClass()} href={`/endpoints/${encodeURIComponent(name)}`}>Open {name}</Link>}
          />
        )
      ) : (
        <Card>
          <Table>
            <thead>
              <tr>
                <Th>Logged</Th>
                <Th>Served</Th>
                <Th>Inputs</Th>
                <Th>Outputs</Th>
                <Th>Truth</Th>
                <Th><span className="sr-only">Details</span></Th>
              </tr>
            </thead>
            <PredictionRows predictions={page.predictions} />
          </Table>
          <div className="flex items-center justify-between border-t border-slate-100 px-4 py-3 text-sm">
            <span className="text-slate-500">{`${page.predictions.length} on this page`}</span>
            <span className="flex gap-4">
              {search.cursor ? <Link className="text-brand-700 hover:underline" href={`${base}?${query(filters)}`}>Newest</Link> : null}
              {page.nextCursor ? <Link className="text-brand-700 hover:underline" href={`${base}?${query(filters, { cursor: page.nextCursor })}`}>Older →</Link> : null}
            </span>
          </div>
        </Card>
      )}
    </>
  );
}
