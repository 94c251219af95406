"use client";
/** Edit a model's description, tags and approval gate. */
import { useState } from "react";
import { Alert, Input, Textarea } from "@/components/ui/form";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { useJsonRequest } from "@/components/ui/use-json-request";

export function ModelDetailsForm({ model, description, tags, requireApproval, canEdit }: {
  model: string;
  description: string;
  tags: string[];
  requireApproval: boolean;
  canEdit: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [desc, setDesc] = useState(description);
  const [tagText, setTagText] = useState(tags.join(", "));
  const [approval, setApproval] = useState(requireApproval);
  const m = useJsonRequest();

  if (!editing) {
    return (
      <div className="space-y-2 text-sm">
        <p className={description ? "whitespace-pre-wrap text-slate-700" : "text-slate-400"}>{description || "No description."}</p>
        <div className="flex flex-wrap items-center gap-1">
          {tags.map((t) => <Badge key={t}>{t}</Badge>)}
          {requireApproval ? <Badge tone="yellow">production needs approval</Badge> : null}
        </div>
        {canEdit ? <Button variant="secondary" size="sm" onClick={() => setEditing(true)}>Edit details</Button> : null}
      </div>
    );
  }
  async function save() {
    const tagsList = tagText.split(",").map((t) => t.trim()).filter(Boolean);
    const r = await m.send("PATCH", `/api/models/${encodeURIComponent(model)}`, { description: desc, tags: tagsList, requireApproval: approval });
    if (r) setEditing(false);
  }
  return (
    <div className="space-y-3 text-sm">
      <label className="block">
        <span className="font-medium text-slate-700">Description</span>
        <Textarea className="mt-1" rows={3} value={desc} onChange={(e) => setDesc(e.target.value)} aria-label="Description" />
      </label>
      <label className="block">
        <span className="font-medium text-slate-700">Tags (comma-separated)</span>
        <Input className="mt-1" value={tagText} onChange={(e) => setTagText(e.target.value)} aria-label="Tags" />
      </label>
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={approval} onChange={(e) => setApproval(e.target.checked)} />
        Promotions to production need a second operator’s approval
      </label>
      {m.error ? <Alert>{m.error}</Alert> : null}
      <div className="flex gap-2">
        <Button onClick={save} disabled={m.pending}>Save</Button>
        <Button variant="ghost" onClick={() => setEditing(false)}>Cancel</Button>
      </div>
    </div>
  );
}
