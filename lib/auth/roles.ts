/** Roles and scopes. Pure: the data plane checks the `infer` scope with the same table. */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/**
 * Token scopes narrow what a token may do within its role: `read` (GET /api), `write` (mutations), `infer`
 * (the data plane). Session users hold every scope their role allows.
 */
export const SCOPES = ["read", "write", "infer"] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is acting: a signed-in user or an API token. */
export interface Principal {
  type: "user" | "token";
  id: string;
  /** Email of the user or name of the token, for audit and display. */
  label: string;
  role: Role;
  scopes: readonly Scope[];
  /** For tokens: the user who created it. */
  userId?: string;
}

/** The user acting: the signed-in user, or for a token the user who created it (none for a token nobody created). */
export function principalUserId(p: Principal): string | undefined {
  return p.type === "user" ? p.id : p.userId;
}
