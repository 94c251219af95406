/**
 * The dashboard page of an audited object, from the event's objectType and objectId (the conventions of the
 * recordAudit calls: an endpoint and a model by name, a version as "model@n", an alias as "model:alias", an alert by
 * id). Undefined where no page shows the object to every reader (users, tokens and webhooks are on the admins'
 * settings page). Pure.
 */
export function auditObjectHref(objectType: string, objectId: string | null): string | undefined {
  if (!objectId) return undefined;
  const seg = encodeURIComponent;
  switch (objectType) {
    case "endpoint":
      return `/endpoints/${seg(objectId)}`;
    case "model":
      return `/models/${seg(objectId)}`;
    case "alert":
      return `/alerts/${seg(objectId)}`;
    case "model_version": {
      const m = /^(.+)@(\d+)$/.exec(objectId);
      return m ? `/models/${seg(m[1])}/versions/${m[2]}` : undefined;
    }
    case "alias": {
      const at = objectId.lastIndexOf(":");
      return at > 0 ? `/models/${seg(objectId.slice(0, at))}` : undefined;
    }
    default:
      return undefined;
  }
}
