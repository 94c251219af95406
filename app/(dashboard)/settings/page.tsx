import { requirePageUser } from "@/lib/auth/require-page-user";
import { getDb } from "@/lib/db/client";
import { toJsonValue } from "@/lib/openapi/to-json-value";
import { listApiTokens } from "@/lib/tokens/list-api-tokens";
import { listUsers } from "@/lib/users/list-users";
import { PageHeader } from "@/components/ui/page-header";
import { TokensPanel, type TokenRow } from "@/components/settings/tokens-panel";
import { UsersPanel, type UserRow } from "@/components/settings/users-panel";
import { WebhooksPanel } from "@/components/alerts/webhooks-panel";

export const dynamic = "force-dynamic";
export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const me = await requirePageUser("admin");
  const db = await getDb();
  const [users, tokens] = await Promise.all([listUsers({ db }), listApiTokens({ db })]);
  return (
    <>
      <PageHeader title="Settings" description="Who can use Ferry, the API tokens that pipelines and clients use, and where alerts are sent." />
      <div className="space-y-8">
        <UsersPanel users={toJsonValue(users) as UserRow[]} currentUserId={me.id} />
        <TokensPanel tokens={toJsonValue(tokens) as TokenRow[]} />
        <WebhooksPanel />
      </div>
    </>
  );
}
