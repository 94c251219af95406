"use client";
import { useState } from "react";
import { Button } from "./button";

/** Copies `text` to the clipboard (a function is called on click, for text that costs something to build); says "Copied" once it has. */
export function CopyButton({ text, label = "Copy", size }: { text: string | (() => string); label?: string; size?: "sm" }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="secondary"
      size={size}
      onClick={async () => {
        await navigator.clipboard?.writeText(typeof text === "function" ? text() : text).catch(() => {});
        setCopied(true);
      }}
    >
      {copied ? "Copied" : label}
    </Button>
  );
}
