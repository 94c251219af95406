"use client";
/** The alert's comment thread and, for operators, a box to add to it. */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Textarea } from "@/components/ui/form";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { useJsonRequest } from "@/components/ui/use-json-request";

export interface CommentView {
  id: string;
  body: string;
  author: string | null;
  createdAt: string;
}

const MAX = 5000;

export function AlertComments({ id, comments, canComment }: { id: string; comments: CommentView[]; canComment: boolean }) {
  const { send, pending, error } = useJsonRequest();
  const [body, setBody] = useState("");

  async function add(e: React.FormEvent) {
    e.preventDefault();
    if (await send("POST", `/api/alerts/${encodeURIComponent(id)}/comments`, { body })) setBody("");
  }

  return (
    <div className="space-y-4">
      {comments.length ? (
        <ol className="space-y-3" aria-label="Comments">
          {comments.map((c) => (
            <li key={c.id} className="rounded-md bg-slate-50 px-3 py-2">
              <div className="text-xs text-slate-500">
                <span className="font-medium text-slate-700">{c.author ?? "deleted user"}</span>
                {" · "}
                <time dateTime={c.createdAt} title={formatDateTime(c.createdAt)}>{formatRelative(c.createdAt)}</time>
              </div>
              <p className="mt-1 whitespace-pre-wrap text-sm text-slate-800">{c.body}</p>
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-slate-500">No comments yet.</p>
      )}
      {canComment ? (
        <form onSubmit={add} className="space-y-2">
          <Textarea
            aria-label="Comment"
            rows={3}
            maxLength={MAX}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            placeholder="What did you find? What are you doing about it?"
          />
          <div className="flex items-center justify-between">
            <span className="text-xs text-slate-400">{body.length} / {MAX}</span>
            <Button type="submit" disabled={pending || !body.trim()}>Add comment</Button>
          </div>
          {error ? <Alert>{error}</Alert> : null}
        </form>
      ) : null}
    </div>
  );
}
