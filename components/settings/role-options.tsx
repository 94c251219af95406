import { ROLES } from "@/lib/auth/roles";

/** The `<option>`s of a role select, in rank order (lib/auth/roles.ts is the one list of roles). */
export function RoleOptions() {
  return ROLES.map((role) => (
    <option key={role} value={role}>
      {role}
    </option>
  ));
}
