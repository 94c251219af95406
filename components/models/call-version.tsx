/**
 * "Call this version": how to send a request to exactly this version — through an endpoint that serves it, pinned
 * with `/versions/{v}` — or, when no endpoint serves it, what to do first.
 */
import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CodeTabs, type CodeTab } from "@/components/ui/code-tabs";
import { grpcAddress, pythonClientExample } from "@/lib/oip/python-client-example";
import type { TensorSpec } from "@/lib/tensor/datatypes";
import { callVersionExample } from "./call-version-example";

export function CallVersion({
  inferenceUrl,
  grpcPort,
  endpoints,
  version,
  inputs,
  outputs,
  labels,
}: {
  inferenceUrl: string;
  /** The data plane's gRPC port (FERRY_GRPC_PORT); undefined when it serves no gRPC. */
  grpcPort: number | undefined;
  endpoints: string[];
  version: number;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** The version's class labels by output name: the Python examples ask for those outputs' top classes. */
  labels?: Record<string, string[]>;
}) {
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
  const python = (transport: "http" | "grpc", address: string) => pythonClientExample({ transport, address, endpoint, version, inputs, outputs, labels });
  const tabs: CodeTab[] = [
    { label: "curl", code: example.curl, wrap: true },
    { label: "Python · HTTP", code: python("http", inferenceUrl) },
    ...(grpcPort === undefined ? [] : [{ label: "Python · gRPC", code: python("grpc", grpcAddress(inferenceUrl, grpcPort)) }]),
  ];
  return (
    <Card data-testid="call-version">
      <CardHeader
        title="Call this version"
        description={`Pinned to v${version} through endpoint ${endpoint}: routing is bypassed. The answer's model_version and its x-ferry-version header name the version that served.`}
      />
      <CardBody className="space-y-3 text-sm text-slate-600">
        <CodeTabs tabs={tabs} label="How to call it" />
        {example.fileInputs ? (
          <p>
            For curl, request.json is a request of the same form, <code className="text-xs">{`{"inputs": [{"name", "datatype", "shape", "data"}]}`}</code>, with{" "}
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
