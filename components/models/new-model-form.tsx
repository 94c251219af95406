"use client";
/** The "new model" flow: a name (checked as you type, by the same rule as the server) and the first upload. */
import { useState } from "react";
import { Field, Input } from "@/components/ui/form";
import { newNameProblem } from "@/lib/registry/model-name";
import { UploadDropzone } from "./upload-dropzone";

export function NewModelForm() {
  const [name, setName] = useState("");
  const problem = name ? newNameProblem(name) : undefined;
  return (
    <div className="space-y-5">
      <Field label="Model name" htmlFor="model-name" error={problem} hint="Lowercase letters, digits, '.', '_' or '-'; e.g. fraud-detector">
        <Input id="model-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="fraud-detector" autoComplete="off" />
      </Field>
      <UploadDropzone model={problem ? "" : name} disabled={!name || !!problem} disabledHint="Enter a valid model name first." />
    </div>
  );
}
