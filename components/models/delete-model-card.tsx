"use client";
/** The model page's "Delete model": what goes (every version, alias and file) and what must go first (its endpoints). */
import { DeleteCard } from "@/components/ui/delete-card";

export function DeleteModelCard({ model, versions, endpoints }: { model: string; versions: number; endpoints: string[] }) {
  return (
    <DeleteCard
      title="Delete model"
      description="Remove it from the registry with all its versions."
      name={model}
      url={`/api/models/${encodeURIComponent(model)}`}
      after={`/models?deleted=${encodeURIComponent(model)}`}
      testId="delete-model"
    >
      {endpoints.length ? (
        <>
          Endpoint{endpoints.length > 1 ? "s" : ""}{" "}
          {endpoints.map((e, i) => <span key={e}>{i ? ", " : ""}<code>{e}</code></span>)} serve{endpoints.length > 1 ? "" : "s"} this
          model: the server refuses until {endpoints.length > 1 ? "they are" : "it is"} deleted.{" "}
        </>
      ) : null}
      Its {versions} version{versions === 1 ? "" : "s"}, aliases, alias history and promotion requests are deleted, and its
      model files and reference datasets unless another model has the same bytes. The audit log keeps what was deleted.
    </DeleteCard>
  );
}
