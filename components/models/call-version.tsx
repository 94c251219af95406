/**
 * "Call this version": how to send a request to exactly this version — through an endpoint that serves it, pinned
 * with `/versions/{v}` — or, when no endpoint serves it, what to do first.
 */
import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import type { TensorSpec } from "@/lib/tensor/datatypes";
import { callVersionExample } from "./call-version-example";

export function CallVersion({ inferenceUrl, endpoints, version, inputs }: { inferenceUrl: string; endpoints: string[]; version: number; inputs: TensorSpec[] }) {
  if (endpoints.length === 0) {
    return (
      <Card data-testid="call-version">
        <CardHeader title="Call this version" />
        <CardBody className="space-y-2 text-sm text-slate-600">
          <p>
            No endpoint routes to v{version}, so the data plane does not serve it yet. Route an endpoint to it (a variant, a
            header rule or the shadow, under <Link className="text-brand-700 hover:underline" href="/endpoints">Endpoints</Link>) and it
            answers at <code className="text-xs">/v2/models/&lt;endpoint&gt;/versions/{version}/infer</code>.
          </p>
        </CardBody>
      </Card>
    );
  }
  const endpoint = endpoints[0];
  const example = callVersionExample({ inferenceUrl, endpoint, version, inputs });
  return (
    <Card data-testid="call-version">
      <CardHeader
        title="Call this version"
        description={`Pinned to v${version} through endpoint ${endpoint}: routing is bypassed. The answer's model_version and its x-ferry-version header name the version that served.`}
        actions={<CopyButton text={example.curl} size="sm" />}
      />
      <CardBody className="space-y-3 text-sm text-slate-600">
        <pre className="whitespace-pre-wrap break-all rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">{example.curl}</pre>
        {example.fileInputs ? (
          <p>
            request.json is a request of the same form, <code className="text-xs">{`{"inputs": [{"name", "datatype", "shape", "data"}]}`}</code>, with{" "}
            {example.fileInputs.map((i, k) => (
              <span key={i.name}>
                {k ? "; " : ""}
                <code className="text-xs">{i.name}</code>: {i.datatype}, shape [{i.shape.join(", ")}], {i.elements.toLocaleString("en-US")} values (row-major)
              </span>
            ))}
            .
          </p>
        ) : null}
        <p>
          <code className="text-xs">$FERRY_TOKEN</code>: an API token with the <code className="text-xs">infer</code> scope
          (<Link className="text-brand-700 hover:underline" href="/settings">Settings → API tokens</Link>).
          {endpoints.length > 1 ? ` Endpoints ${endpoints.slice(1).join(", ")} serve it too.` : ""} To call the endpoint as its
          clients do, with routing, use <Link className="text-brand-700 hover:underline" href={`/endpoints/${endpoint}`}>Try it</Link> on its page.
        </p>
      </CardBody>
    </Card>
  );
}
