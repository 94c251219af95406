"use client";
/**
 * A card for deleting something that cannot be undone (an endpoint, a model): says what goes and what stays, and asks
 * for the object's name before the red button works (as GitHub and most consoles do). Then to `after`.
 */
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "./button";
import { Card, CardBody, CardHeader } from "./card";
import { Alert, Field, Input } from "./form";
import { useJsonRequest } from "./use-json-request";

export function DeleteCard({ title, description, name, url, after, children, testId }: {
  /** "Delete endpoint": the card's title, and its first button with an ellipsis. */
  title: string;
  description: string;
  /** What to type to confirm. */
  name: string;
  /** The DELETE request's URL. */
  url: string;
  /** Where to go once it is deleted. */
  after: string;
  /** What goes and what stays, shown once the card is opened. */
  children: React.ReactNode;
  testId?: string;
}) {
  const router = useRouter();
  const { request, pending, error } = useJsonRequest();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const inputId = `${testId ?? "delete"}-confirm`;

  async function remove() {
    const answer = await request("DELETE", url, undefined, { refresh: false });
    if (answer) router.replace(after);
  }

  return (
    <Card data-testid={testId}>
      <CardHeader title={title} description={description} />
      <CardBody className="space-y-3">
        {!open ? (
          <Button variant="secondary" onClick={() => setOpen(true)}>{title}…</Button>
        ) : (
          <>
            <p className="text-sm text-slate-600">{children}</p>
            {error && <Alert>{error}</Alert>}
            <Field label={`Type ${name} to confirm`} htmlFor={inputId}>
              <Input id={inputId} autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
            </Field>
            <div className="flex gap-2">
              <Button variant="danger" disabled={typed !== name || pending} onClick={remove}>{pending ? "Deleting…" : "Delete"}</Button>
              <Button variant="ghost" onClick={() => { setOpen(false); setTyped(""); }}>Cancel</Button>
            </div>
          </>
        )}
      </CardBody>
    </Card>
  );
}
