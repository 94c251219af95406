"use client";
/**
 * The "new model" flow: a name (checked as you type, by the same rule as the server) and the first upload. A name that
 * is already a model's is allowed (the upload becomes its next version) but said so, with a link to that model.
 */
import Link from "next/link";
import { useState } from "react";
import { Field, Input } from "@/components/ui/form";
import { newNameProblem } from "@/lib/registry/model-name";
import { UploadDropzone } from "./upload-dropzone";

/** A model that exists, with its highest version number (0 when it has none). */
export interface ExistingModel {
  name: string;
  latestVersion: number;
}

export function NewModelForm({ existing = [] }: { existing?: readonly ExistingModel[] }) {
  const [name, setName] = useState("");
  const problem = name ? newNameProblem(name) : undefined;
  const taken = problem ? undefined : existing.find((m) => m.name === name);
  const hint = taken ? (
    <span data-testid="existing-model-hint">
      {`Model '${taken.name}' exists already: this upload becomes its version ${taken.latestVersion + 1}. `}
      <Link className="text-brand-700 hover:underline" href={`/models/${encodeURIComponent(taken.name)}`}>Open {taken.name}</Link>
    </span>
  ) : (
    "Lowercase letters, digits, '.', '_' or '-'; e.g. fraud-detector"
  );
  return (
    <div className="space-y-5">
      <Field label="Model name" htmlFor="model-name" error={problem} hint={hint}>
        <Input id="model-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="fraud-detector" autoComplete="off" />
      </Field>
      <UploadDropzone model={problem ? "" : name} disabled={!name || !!problem} disabledHint="Enter a valid model name first." />
    </div>
  );
}
