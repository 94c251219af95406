/** Choices the alert pages offer: endpoint names for the filter, and users an alert can be assigned to (operators and admins). */
import type { Db } from "@/lib/db/client";

export async function alertPageOptions(db: Db): Promise<{ endpoints: string[]; users: { id: string; label: string }[] }> {
  const [endpoints, users] = await Promise.all([
    db.endpoint.findMany({ select: { name: true }, orderBy: { name: "asc" } }),
    db.user.findMany({
      where: { disabled: false, role: { in: ["operator", "admin"] } },
      select: { id: true, email: true, name: true },
      orderBy: { email: "asc" },
    }),
  ]);
  return {
    endpoints: endpoints.map((e) => e.name),
    users: users.map((u) => ({ id: u.id, label: u.name ? `${u.name} (${u.email})` : u.email })),
  };
}
