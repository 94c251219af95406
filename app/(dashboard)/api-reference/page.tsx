import Link from "next/link";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { config, dashboardUrl } from "@/lib/config";
import { openApiDocument } from "@/lib/openapi/openapi-document";
import { curlFor, referenceView, type FieldRow, type OperationView } from "@/lib/openapi/reference-view";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge, type Tone } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Table, Th } from "@/components/ui/table";
import { CopyButton } from "@/components/ui/copy-button";

export const metadata = { title: "API reference" };

const METHOD_TONES: Record<string, Tone> = { GET: "blue", POST: "green", PUT: "yellow", PATCH: "purple", DELETE: "red" };

/** The data plane's routes (Open Inference Protocol, KServe V2): not part of the control plane's OpenAPI document. */
const INFERENCE_ROUTES: { method: string; path: string; text: string }[] = [
  { method: "GET", path: "/v2", text: "server metadata: name, version and extensions (binary_tensor_data, classification, statistics, model_configuration, model_repository)" },
  { method: "GET", path: "/v2/health/live", text: "200 while the process runs" },
  { method: "GET", path: "/v2/health/ready", text: "200 once every endpoint it serves is loaded and warm; 503 before and while draining" },
  { method: "GET", path: "/v2/models/{endpoint}[/versions/{v}]", text: "inputs and outputs with datatypes and shapes, the versions served" },
  { method: "GET", path: "/v2/models/{endpoint}[/versions/{v}]/ready", text: "200 when the endpoint (or that version) can answer" },
  { method: "GET", path: "/v2/models/{endpoint}[/versions/{v}]/config", text: "Triton's model configuration: max_batch_size (the version's batching limit), inputs and outputs with TYPE_* datatypes and dims, the dynamic batcher's queue delay" },
  { method: "GET", path: "/v2/models/{endpoint}[/versions/{v}]/stats", text: "Triton's statistics extension (what perf_analyzer reads): requests that succeeded and failed, queue and compute time in ns, rows and runs, per version" },
  { method: "GET", path: "/v2/models/stats", text: "the same statistics for every version of every endpoint served (so no endpoint may be named 'stats')" },
  { method: "POST", path: "/v2/repository/index", text: "Triton's repository index: every endpoint with each version it serves or loads and its state (READY, LOADING, UNLOADING, UNAVAILABLE with the reason); {\"ready\": true} keeps the ready ones. …/models/{endpoint}/load and /unload answer 400: routing decides what is loaded" },
  { method: "POST", path: "/v2/models/{endpoint}[/versions/{v}]/infer", text: "inference, routed by the endpoint's rules unless a version is pinned; JSON or Triton's binary tensors; an output asked for with parameters.classification = N answers each row's N top classes as \"<value>:<index>\"; gzip or deflate bodies (Content-Encoding) and answers (Accept-Encoding)" },
  { method: "GET", path: "/v1/models/{endpoint}", text: "KServe's V1 protocol: {\"name\", \"ready\"} (503 while not ready)" },
  { method: "POST", path: "/v1/models/{endpoint}:predict", text: "KServe's V1 protocol (TensorFlow Serving's rows): {\"instances\": [row, …]} in, {\"predictions\": [row, …]} out; an instance is a row of a one-input model, or an object of the inputs by name; with several outputs each prediction is an object of them. Routed, batched and recorded as infer" },
  { method: "GET", path: "/metrics", text: "Prometheus metrics of the data plane (requests, latency, queue, batch sizes)" },
];

function MethodBadge({ method }: { method: string }) {
  return <Badge tone={METHOD_TONES[method] ?? "gray"} className="w-16 justify-center font-mono">{method}</Badge>;
}

/** A name cell: on a phone it also shows the type and description that have their own columns from `sm` up. */
function NameCell({ name, required, type, description, indent = 0 }: { name: string; required: boolean; type: string; description?: string; indent?: number }) {
  return (
    <td className="break-words px-4 py-2 align-top font-mono text-xs text-slate-900" style={indent ? { paddingLeft: `${1 + indent * 1.25}rem` } : undefined}>
      {name}
      {required ? <span className="ml-1 text-red-600" title="required">*</span> : null}
      <div className="mt-0.5 text-slate-600 sm:hidden">{type}</div>
      {description ? <div className="mt-0.5 font-sans text-slate-600 sm:hidden">{description}</div> : null}
    </td>
  );
}

const wideOnly = "hidden sm:table-cell";

function Fields({ rows, label }: { rows: FieldRow[]; label: string }) {
  return (
    <Table aria-label={label} className="sm:table-fixed">
      <thead>
        <tr>
          <Th className="sm:w-[30%]">Field</Th>
          <Th className={`${wideOnly} w-[30%]`}>Type</Th>
          <Th className={wideOnly}>Description</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((f) => (
          <tr key={f.path}>
            <NameCell name={f.path.split(/(?<=[.\]])/).pop()!} required={f.required} type={f.type} description={f.description} indent={f.depth} />
            <td className={`${wideOnly} break-words px-4 py-2 align-top font-mono text-xs text-slate-600`}>{f.type}</td>
            <td className={`${wideOnly} px-4 py-2 align-top text-xs text-slate-600`}>{f.description ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function Operation({ op, base }: { op: OperationView; base: string }) {
  const curl = curlFor(op, base);
  const errors = op.responses.filter((r) => Number(r.status) >= 400).map((r) => r.status);
  const successes = op.responses.filter((r) => Number(r.status) < 400);
  return (
    <Card id={op.anchor} className="scroll-mt-6" data-testid="api-operation">
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-100 px-5 py-4">
        <MethodBadge method={op.method} />
        <code className="break-all text-sm font-semibold text-slate-900">{op.path}</code>
        <span className="text-sm text-slate-600">{op.summary}</span>
        <span className="ml-auto text-xs text-slate-500">{op.role === "public" ? "no sign-in needed" : `${op.role} or above`}</span>
      </div>
      <CardBody className="space-y-4">
        {op.description ? <p className="max-w-4xl text-sm text-slate-600">{op.description}</p> : null}
        {op.parameters.length > 0 ? (
          <section>
            <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Parameters</h4>
            <Table aria-label={`Parameters of ${op.method} ${op.path}`} className="sm:table-fixed">
              <thead>
                <tr>
                  <Th className="sm:w-[22%]">Name</Th>
                  <Th className={`${wideOnly} w-[8%]`}>In</Th>
                  <Th className={`${wideOnly} w-[30%]`}>Type</Th>
                  <Th className={wideOnly}>Description</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {op.parameters.map((p) => (
                  <tr key={`${p.in}:${p.name}`}>
                    <NameCell name={p.name} required={p.required} type={`${p.type} · ${p.in}`} description={p.description} />
                    <td className={`${wideOnly} px-4 py-2 align-top text-xs text-slate-500`}>{p.in}</td>
                    <td className={`${wideOnly} break-words px-4 py-2 align-top font-mono text-xs text-slate-600`}>{p.type}</td>
                    <td className={`${wideOnly} px-4 py-2 align-top text-xs text-slate-600`}>{p.description ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </section>
        ) : null}
        {op.body ? (
          <section>
            <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Body · {op.body.contentType}</h4>
            {op.body.fields.length > 0 ? <Fields rows={op.body.fields} label={`Body of ${op.method} ${op.path}`} /> : <p className="text-xs text-slate-500">any JSON value</p>}
          </section>
        ) : null}
        {successes.map((r) => (
          <details key={r.status} className="group">
            <summary className="cursor-pointer text-xs font-semibold uppercase tracking-wide text-slate-500">
              {`${r.status} ${r.description}`}
              {r.fields.length > 0 ? <span className="ml-2 font-normal normal-case tracking-normal text-brand-700 group-open:hidden">{`${r.fields.length} fields`}</span> : r.type ? <span className="ml-2 font-mono font-normal normal-case tracking-normal">{r.type}</span> : null}
            </summary>
            {r.fields.length > 0 ? <div className="mt-2"><Fields rows={r.fields} label={`${r.status} answer of ${op.method} ${op.path}`} /></div> : null}
          </details>
        ))}
        <details>
          <summary className="cursor-pointer text-xs font-semibold uppercase tracking-wide text-slate-500">curl</summary>
          <div className="mt-2 flex items-start gap-2">
            <pre className="min-w-0 flex-1 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">{curl}</pre>
            <CopyButton text={curl} size="sm" />
          </div>
        </details>
        {errors.length > 0 ? <p className="text-xs text-slate-500">{`Errors: ${errors.join(", ")} with {"error": "…"} saying what to change.`}</p> : null}
      </CardBody>
    </Card>
  );
}

export default async function ApiReferencePage() {
  await requirePageUser();
  const groups = referenceView(openApiDocument());
  const c = config();
  const count = groups.reduce((n, g) => n + g.operations.length, 0);
  return (
    <>
      <PageHeader
        title="API reference"
        description={`Every control-plane route under /api (${count} operations), generated from the schemas the routes validate with. Send an API token as Authorization: Bearer fry_… (Settings → API tokens); a token needs the read scope for GET and write for the rest, and its role at least the one shown. Errors are {"error": "…"} with a 4xx status.`}
        actions={<a className={buttonClass("secondary")} href="/api/openapi.json" download="ferry-openapi.json">Download openapi.json</a>}
      />
      <nav aria-label="API sections" className="mb-6 flex flex-wrap gap-2">
        {groups.map((g) => (
          <a key={g.tag} href={`#tag-${g.tag}`} className="rounded-md bg-white px-2.5 py-1 text-sm text-slate-700 shadow-sm ring-1 ring-slate-200 hover:ring-brand-500/40">
            {g.tag} <span className="text-slate-400">{g.operations.length}</span>
          </a>
        ))}
        <a href="#inference" className="rounded-md bg-white px-2.5 py-1 text-sm text-slate-700 shadow-sm ring-1 ring-slate-200 hover:ring-brand-500/40">inference</a>
      </nav>
      <div className="space-y-10">
        {groups.map((g) => (
          <section key={g.tag} id={`tag-${g.tag}`} className="scroll-mt-6">
            <h2 className="mb-3 text-lg font-semibold capitalize text-slate-900">{g.tag}</h2>
            <div className="space-y-4">
              {g.operations.map((op) => (
                <Operation key={op.anchor} op={op} base={dashboardUrl(c)} />
              ))}
            </div>
          </section>
        ))}
        <section id="inference" className="scroll-mt-6">
          <h2 className="mb-3 text-lg font-semibold text-slate-900">Inference (data plane)</h2>
          <Card>
            <CardHeader
              title={`Open Inference Protocol (KServe V2) at ${c.inferenceUrl}`}
              description={
                "KServe, Triton and MLServer clients work unchanged. Routes under /v2/models and /v1/models need a token with the infer scope (Authorization: Bearer); /v2, the health checks and /metrics do not. An endpoint's page shows a ready-made request (Try it, Copy as curl)." +
                (c.grpcPort === undefined
                  ? ""
                  : ` The same protocol over gRPC (GRPCInferenceService: ServerLive, ServerReady, ServerMetadata, ModelReady, ModelMetadata, ModelInfer, and Triton's ModelStreamInfer, ModelConfig, ModelStatistics, RepositoryIndex; tritonclient.grpc) on port ${c.grpcPort} of the data plane's host, the token in the authorization metadata; grpc.health.v1.Health/Check says SERVING once it is ready.`)
              }
            />
            <Table aria-label="Data-plane routes">
              <tbody className="divide-y divide-slate-100">
                {INFERENCE_ROUTES.map((r) => (
                  <tr key={`${r.method} ${r.path}`}>
                    <td className="w-20 py-2.5 pl-4 pr-0 align-top sm:pr-4"><MethodBadge method={r.method} /></td>
                    <td className="break-all px-4 py-2.5 align-top font-mono text-xs text-slate-900 sm:whitespace-nowrap sm:break-normal">
                      {r.path}
                      <div className="mt-1 break-normal font-sans text-sm text-slate-600 sm:hidden">{r.text}</div>
                    </td>
                    <td className={`${wideOnly} px-4 py-2.5 align-top text-sm text-slate-600`}>{r.text}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Card>
        </section>
      </div>
      <p className="mt-8 text-sm text-slate-500">
        Scripts and CI: the <Link className="text-brand-700 hover:underline" href="/settings">API tokens</Link> under Settings, or the <code>ferry</code> CLI (README).
      </p>
    </>
  );
}
