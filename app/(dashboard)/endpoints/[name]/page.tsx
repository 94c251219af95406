import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { roleAtLeast } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import type { TensorSpec } from "@/lib/tensor/datatypes";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { ShareBar } from "@/components/endpoints/share-bar";
import { EndpointStateBadge, generationLag } from "@/components/endpoints/endpoint-state-badge";
import { TryItPanel } from "@/components/endpoints/try-it-panel";
import { DeleteEndpointCard } from "@/components/endpoints/delete-endpoint-card";
import { config } from "@/lib/config";
import { RoutingEditor } from "@/components/routing/routing-editor";
import { RolloutPanel } from "@/components/rollouts/rollout-panel";
import { ExperimentView } from "@/components/experiments/experiment-view";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: `Endpoint · ${decodeURIComponent((await params).name)}` };
}

export default async function EndpointPage({ params }: { params: Promise<{ name: string }> }) {
  const user = await requirePageUser();
  const name = decodeURIComponent((await params).name);
  let endpoint;
  try {
    endpoint = await getEndpoint({ db: await getDb(), name });
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  }
  const canTry = roleAtLeast(user.role, "operator");
  const db = await getDb();
  const [versions, aliases] = await Promise.all([
    db.modelVersion.findMany({ where: { model: { name: endpoint.model } }, select: { version: true, status: true }, orderBy: { version: "desc" } }),
    db.alias.findMany({ where: { model: { name: endpoint.model } }, select: { name: true, version: { select: { version: true } } }, orderBy: { name: "asc" } }),
  ]);

  return (
    <>
      <PageHeader
        breadcrumb={<><Link href="/endpoints" className="hover:underline">Endpoints</Link> / {name}</>}
        title={name}
        description={
          <>
            Serves <Link className="text-brand-700 hover:underline" href={`/models/${encodeURIComponent(endpoint.model)}`}>{endpoint.model}</Link>
            {" "}· generation {endpoint.generation} · changed {formatRelative(endpoint.updatedAt)}
            {endpoint.description ? <> · {endpoint.description}</> : null}
          </>
        }
        actions={
          <div className="flex gap-4 text-sm">
            <Link className="text-brand-700 hover:underline" href={`/monitoring/${encodeURIComponent(name)}`}>Monitoring →</Link>
            <Link className="text-brand-700 hover:underline" href={`/endpoints/${encodeURIComponent(name)}/drift`}>Data drift →</Link>
            {canTry ? <Link className="text-brand-700 hover:underline" href={`/endpoints/${encodeURIComponent(name)}/predictions`}>Predictions →</Link> : null}
          </div>
        }
      />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-3">
        <div className="space-y-6 xl:col-span-2">
          <Card>
            <CardHeader title="Variants" description="Traffic share and what each data-plane instance is doing with the version." />
            <Table data-testid="variants-table">
              <thead>
                <tr>
                  <Th>Variant</Th>
                  <Th>Version</Th>
                  <Th>Share</Th>
                  <Th>Data plane</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {endpoint.variants.map((v) => (
                  <Tr key={v.name}>
                    <Td className="font-medium">{v.name}</Td>
                    <Td>
                      {v.alias ? <span className="text-slate-500">{v.alias} → </span> : null}
                      {v.resolvedVersion !== null ? (
                        <Link className="hover:underline" href={`/models/${encodeURIComponent(endpoint.model)}/versions/${v.resolvedVersion}`}>v{v.resolvedVersion}</Link>
                      ) : (
                        <span className="text-red-700">alias not found</span>
                      )}
                    </Td>
                    <Td><ShareBar share={v.share} /> <span className="text-xs text-slate-400">weight {v.weight}</span></Td>
                    <Td>
                      {v.states.length ? (
                        <ul className="space-y-1">
                          {v.states.map((s) => {
                            const lag = generationLag(s, endpoint.generation);
                            return (
                              <li key={s.instanceId} className="flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs">
                                <span className="flex min-w-0 items-center gap-2">
                                  <EndpointStateBadge state={s} />
                                  <span className="max-w-[8rem] truncate text-slate-500" title={s.instanceId}>{s.instanceId}</span>
                                </span>
                                {lag ? <span className="whitespace-nowrap text-amber-700" title={lag.title}>{lag.label}</span> : null}
                                {s.message ? <span className="truncate text-red-700" title={s.message}>{s.message}</span> : null}
                              </li>
                            );
                          })}
                        </ul>
                      ) : (
                        <span className="text-xs text-slate-400" title="No data-plane instance has reported loading this version yet">not reported yet</span>
                      )}
                    </Td>
                  </Tr>
                ))}
                {endpoint.shadow ? (
                  <Tr>
                    <Td className="font-medium">shadow</Td>
                    <Td>{endpoint.shadow.version !== null ? `v${endpoint.shadow.version}` : "unresolved"}</Td>
                    <Td className="text-xs text-slate-500">mirrors {endpoint.shadow.percent}% (answers never returned)</Td>
                    <Td>
                      <span className="flex flex-wrap gap-1">{endpoint.shadow.states.map((s) => <EndpointStateBadge key={s.instanceId} state={s} />)}</span>
                    </Td>
                  </Tr>
                ) : null}
              </tbody>
            </Table>
          </Card>
          <ExperimentView endpointName={name} />
          {canTry ? (
            <RoutingEditor
              endpointName={name}
              modelName={endpoint.model}
              initialConfig={endpoint.config}
              generation={endpoint.generation}
              versions={versions}
              aliases={aliases.map((a) => ({ name: a.name, version: a.version.version }))}
            />
          ) : (
            <Card>
              <CardHeader title="Routing config" description="As stored. Operators can edit it here." />
              <CardBody>
                <pre className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{JSON.stringify(endpoint.config, null, 2)}</pre>
              </CardBody>
            </Card>
          )}
          {endpoint.events.length ? (
            <Card>
              <CardHeader title="Timeline" />
              <CardBody>
                <ul className="space-y-2 text-sm">
                  {endpoint.events.map((e, i) => (
                    <li key={i} className="flex gap-3">
                      <span className="w-40 shrink-0 text-xs text-slate-500" title={e.createdAt}>{formatDateTime(e.createdAt)}</span>
                      <span>{e.message}{e.actorLabel ? <span className="text-slate-500"> · {e.actorLabel}</span> : null}</span>
                    </li>
                  ))}
                </ul>
              </CardBody>
            </Card>
          ) : null}
        </div>
        <div className="space-y-6">
          <RolloutPanel endpointName={name} canOperate={canTry} />
          <Card>
            <CardHeader title="Try it" description="Send one request through the data plane, with routing as configured." />
            <CardBody>
              {!canTry ? (
                <p className="text-sm text-slate-500">Operators can send test requests from here.</p>
              ) : endpoint.signature ? (
                <TryItPanel endpoint={name} inputs={endpoint.signature.inputs as TensorSpec[]} inferenceUrl={config().inferenceUrl} />
              ) : (
                <p className="text-sm text-slate-500">The serving version has no recorded signature.</p>
              )}
            </CardBody>
          </Card>
          {canTry ? <DeleteEndpointCard endpoint={name} model={endpoint.model} /> : null}
        </div>
      </div>
    </>
  );
}
