"use client";
/**
 * "Try it": one inference request through the real data plane (via POST /api/endpoints/{name}/try). Inputs are
 * generated from the serving version's signature — one text field per input taking comma/space separated values
 * (dynamic dimensions become 1 row); an input too large to type (an image's 150,528 values) is filled with zeros or
 * random values instead, or takes pasted values — or the whole request can be pasted as JSON.
 */
import { useMemo, useState } from "react";
import { TabList } from "@/components/ui/tab-list";
import { Button } from "@/components/ui/button";
import { Alert, Field, Select, Textarea } from "@/components/ui/form";
import { CopyButton } from "@/components/ui/copy-button";
import { inferCurl, inferUrl } from "@/lib/oip/infer-curl";
import { formatMs } from "@/components/ui/format";
import { concreteShape, exampleElementCount, filledData, MANY_ELEMENTS, neutralValue, type InputFill } from "@/lib/oip/example-request";
import type { TensorSpec } from "@/lib/tensor/datatypes";
import { TopClasses, type TryOutput } from "./top-classes";

interface TryResult {
  status: number;
  body: { outputs?: TryOutput[]; error?: string; model_version?: string };
  servedVersion: string | null;
  latencyMs: number;
  labels?: Record<string, string[]>;
}

function parseValues(text: string, datatype: string): unknown[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (datatype === "BYTES") return parts;
  if (datatype === "BOOL") return parts.map((p) => p === "true" || p === "1");
  return parts.map(Number);
}

/** The request the Inputs tab holds: each input's typed values, or its fill (`fills`, inputs too large to type). */
function exampleRequest(inputs: TensorSpec[], values: Record<string, string>, fills: Record<string, InputFill>) {
  return {
    inputs: inputs.map((i) => {
      const shape = concreteShape(i.shape);
      const fill = fills[i.name] ?? "values";
      const data = fill === "values" ? parseValues(values[i.name] ?? "", i.datatype) : filledData(i.datatype, exampleElementCount(i.shape), fill);
      return { name: i.name, datatype: i.datatype, shape, data };
    }),
  };
}

/** Pretty JSON with each `data` array on one line: a large input stays a line, not a value per line. */
function requestJson(request: ReturnType<typeof exampleRequest>): string {
  const input = (i: (typeof request.inputs)[number]) =>
    `    {\n      "name": ${JSON.stringify(i.name)},\n      "datatype": ${JSON.stringify(i.datatype)},\n      "shape": ${JSON.stringify(i.shape)},\n      "data": ${JSON.stringify(i.data)}\n    }`;
  return `{\n  "inputs": [\n${request.inputs.map(input).join(",\n")}\n  ]\n}`;
}

const FILLS: { id: InputFill; label: string; hint: string }[] = [
  { id: "zeros", label: "Zeros", hint: "filled with zeros" },
  { id: "random", label: "Random values", hint: "filled with random values, new ones each send: 0–1 for floats, 0–9 for integers" },
  { id: "values", label: "Paste values", hint: "paste them separated by commas or spaces, row-major" },
];

/** The two ways to fill a request: a field per input, or the protocol's JSON. */
const MODES = [
  { id: "form", label: "Inputs" },
  { id: "json", label: "JSON" },
] as const;

export function TryItPanel({ endpoint, inputs, inferenceUrl }: { endpoint: string; inputs: TensorSpec[]; inferenceUrl: string }) {
  const [mode, setMode] = useState<"form" | "json">("form");
  const large = (i: TensorSpec) => exampleElementCount(i.shape) > MANY_ELEMENTS;
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(inputs.map((i) => [i.name, large(i) ? "" : new Array(exampleElementCount(i.shape)).fill(String(neutralValue(i.datatype))).join(", ")])),
  );
  const [fills, setFills] = useState<Record<string, InputFill>>(() => Object.fromEntries(inputs.filter(large).map((i) => [i.name, "zeros" as const])));
  const initialJson = useMemo(() => requestJson(exampleRequest(inputs, values, fills)), []); // eslint-disable-line react-hooks/exhaustive-deps
  const [json, setJson] = useState(initialJson);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<TryResult | null>(null);

  /** The request the panel holds; undefined when the JSON tab's text is not valid JSON. */
  function currentRequest(): unknown {
    if (mode === "form") return exampleRequest(inputs, values, fills);
    try {
      return JSON.parse(json);
    } catch {
      return undefined;
    }
  }

  /** The command that sends it: compact JSON, or the JSON tab's text as typed when it does not parse. */
  function curl(): string {
    const request = currentRequest();
    return inferCurl(inferUrl(inferenceUrl, endpoint), request === undefined ? json : JSON.stringify(request));
  }

  async function send() {
    setError(null);
    const request = currentRequest();
    if (request === undefined) {
      setError("the request is not valid JSON");
      return;
    }
    setPending(true);
    try {
      const res = await fetch(`/api/endpoints/${encodeURIComponent(endpoint)}/try`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ request }),
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) setError(typeof body.error === "string" ? body.error : `request failed (${res.status})`);
      else setResult(body as TryResult);
    } catch {
      setError("the server could not be reached");
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-4" data-testid="try-it">
      <TabList tabs={MODES} selected={mode} onSelect={setMode} />
      {mode === "form" ? (
        inputs.map((i) =>
          large(i) ? (
            <Field
              key={i.name}
              label={`${i.name} · ${i.datatype} [${concreteShape(i.shape).join(", ")}]`}
              htmlFor={`try-fill-${i.name}`}
              hint={`${exampleElementCount(i.shape).toLocaleString("en-US")} values, too many to type: ${FILLS.find((f) => f.id === fills[i.name])?.hint}`}
            >
              <Select id={`try-fill-${i.name}`} value={fills[i.name]} onChange={(e) => setFills({ ...fills, [i.name]: e.target.value as InputFill })}>
                {FILLS.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
              </Select>
              {fills[i.name] === "values" ? (
                <Textarea aria-label={`${i.name} values`} rows={3} className="mt-2 font-mono text-xs" value={values[i.name] ?? ""} onChange={(e) => setValues({ ...values, [i.name]: e.target.value })} />
              ) : null}
            </Field>
          ) : (
            <Field key={i.name} label={`${i.name} · ${i.datatype} [${concreteShape(i.shape).join(", ")}]`} htmlFor={`try-${i.name}`} hint="values separated by commas or spaces, row-major">
              <Textarea id={`try-${i.name}`} rows={2} className="font-mono text-xs" value={values[i.name] ?? ""} onChange={(e) => setValues({ ...values, [i.name]: e.target.value })} />
            </Field>
          ),
        )
      ) : (
        <Field label="Request body (Open Inference Protocol)" htmlFor="try-json">
          <Textarea id="try-json" rows={10} className="font-mono text-xs" value={json} onChange={(e) => setJson(e.target.value)} />
        </Field>
      )}
      <div className="flex items-center gap-2">
        <Button onClick={send} disabled={pending}>{pending ? "Sending…" : "Send"}</Button>
        <CopyButton label="Copy as curl" text={curl} />
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {result ? (
        <div className="space-y-2 text-sm" aria-live="polite">
          <p>
            <span className={result.status === 200 ? "text-emerald-700" : "text-red-700"}>HTTP {result.status}</span>
            {result.servedVersion ? <> · served by <strong>v{result.servedVersion}</strong></> : null} · {formatMs(result.latencyMs)}
          </p>
          {result.body.error ? <Alert>{result.body.error}</Alert> : null}
          {result.body.outputs?.map((o) => (
            <div key={o.name}>
              <div className="text-xs text-slate-500">{o.name} · {o.datatype} [{o.shape.join(", ")}]</div>
              <TopClasses output={o} labels={result.labels?.[o.name]} />
              <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 p-2 text-xs text-slate-100">{JSON.stringify(o.data)}</pre>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
