import Link from "next/link";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { listEndpointNames } from "@/lib/endpoints/list-endpoints";
import { listModelTargets } from "@/lib/registry/list-model-targets";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClass } from "@/components/ui/button";
import { NewEndpointForm } from "@/components/endpoints/new-endpoint-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "New endpoint" };

export default async function NewEndpointPage({ searchParams }: { searchParams: Promise<{ model?: string }> }) {
  await requirePageUser("operator");
  const { model } = await searchParams;
  const db = await getDb();
  const [models, endpoints] = await Promise.all([listModelTargets({ db }), listEndpointNames({ db })]);
  return (
    <>
      <PageHeader
        breadcrumb={<Link href="/endpoints" className="hover:underline">Endpoints</Link>}
        title="New endpoint"
        description="An endpoint is the stable name clients call. It starts by sending all its traffic to one alias or version of a model."
      />
      {models.length === 0 ? (
        <EmptyState
          title="No models to serve yet"
          description="An endpoint serves versions of a model. Upload a model first; once a version passes validation it can take traffic."
          action={<Link href="/models/new" className={buttonClass()}>New model</Link>}
        />
      ) : (
        <Card className="max-w-3xl">
          <CardBody>
            <NewEndpointForm models={models} existingEndpoints={endpoints} initialModel={model} inferenceUrl={config().inferenceUrl} />
          </CardBody>
        </Card>
      )}
    </>
  );
}
