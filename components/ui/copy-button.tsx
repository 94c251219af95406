"use client";
import { useState } from "react";
import { Button } from "./button";

/** Copies `text` to the clipboard; says "Copied" once it has. */
export function CopyButton({ text, label = "Copy", size }: { text: string; label?: string; size?: "sm" }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="secondary"
      size={size}
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => {});
        setCopied(true);
      }}
    >
      {copied ? "Copied" : label}
    </Button>
  );
}
