import Link from "next/link";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody } from "@/components/ui/card";
import { NewModelForm } from "@/components/models/new-model-form";
import { getDb } from "@/lib/db/client";

export const metadata = { title: "New model" };

export default async function NewModelPage() {
  await requirePageUser("operator");
  const db = await getDb();
  const models = await db.model.findMany({ select: { name: true, versions: { select: { version: true }, orderBy: { version: "desc" }, take: 1 } }, orderBy: { name: "asc" } });
  const existing = models.map((m) => ({ name: m.name, latestVersion: m.versions[0]?.version ?? 0 }));
  return (
    <>
      <PageHeader
        breadcrumb={<Link href="/models" className="hover:underline">Models</Link>}
        title="New model"
        description="Name the model and upload its first version. Later versions are uploaded on the model's page, with the CLI or from CI."
      />
      <Card className="max-w-3xl">
        <CardBody>
          <NewModelForm existing={existing} />
        </CardBody>
      </Card>
    </>
  );
}
