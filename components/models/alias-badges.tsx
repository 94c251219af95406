import { Badge } from "@/components/ui/badge";

export function AliasBadges({ aliases }: { aliases: string[] }) {
  if (!aliases.length) return null;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {aliases.map((a) => (
        <Badge key={a} tone={a === "production" ? "purple" : "blue"}>
          {a}
        </Badge>
      ))}
    </span>
  );
}
