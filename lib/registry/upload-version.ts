/**
 * Registers an uploaded model version: streams the multipart body into the artifact store (never held whole in
 * memory, capped while streaming), allocates the next version, validates it in a child process and records the
 * result. A version that fails validation is kept as `failed` with the reason, so the registry shows why.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { AppError, badRequest } from "@/lib/errors";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { parseMultipart, multipartBoundary, MultipartError } from "@/lib/http/parse-multipart";
import { storeStream, type StoredArtifact } from "@/lib/artifacts/store-stream";
import { artifactPath } from "@/lib/artifacts/artifact-path";
import { newNameProblem, parseModelName } from "./model-name";
import { allocateVersion } from "./allocate-version";
import { validateInChild, type ValidateInChildOptions } from "./validate-in-child";
import { versionJson } from "./version-json";
import { attachLabels, MAX_LABEL_FILE_BYTES, parseLabelFile, type LabelFile } from "./class-labels";
import { parseMetrics } from "./version-metrics";

export interface UploadVersionOptions {
  db: Db;
  actor: Actor;
  modelName: string;
  contentType: string | null;
  contentLength: number | null;
  body: AsyncIterable<Uint8Array> | null;
  /** Default `config().maxModelBytes`. */
  maxModelBytes?: number;
  /** Default `config().maxRequestBytes`. */
  maxReferenceBytes?: number;
  artifactDir?: string;
  validation?: Omit<ValidateInChildOptions, "modelPath" | "referencePath" | "referenceFormat">;
}

const EXPECTED = "expected a multipart field 'file' with the .onnx model (optional fields: 'reference', 'labels', 'metrics', 'description', 'source', 'sourceUrl', 'parentVersion')";

const fieldsSchema = z.object({
  description: z.string().max(10_000).optional(),
  source: z.string().max(64).regex(/^[\w.:-]*$/, "source: letters, digits, '.', ':', '_' or '-'").optional(),
  sourceUrl: z.string().max(2048).url().refine((u) => /^https?:\/\//i.test(u), "sourceUrl must be an http(s) URL").optional(),
  parentVersion: z.coerce.number().int().positive().optional(),
  metrics: z.string().optional(),
});

interface Received {
  file?: StoredArtifact;
  reference?: StoredArtifact & { format?: "csv" | "json" };
  labels?: LabelFile;
  fields: Record<string, string>;
}

async function receive(opts: UploadVersionOptions, boundary: string, maxModelBytes: number, maxReferenceBytes: number): Promise<Received> {
  const got: Received = { fields: {} };
  try {
    for await (const part of parseMultipart(opts.body!, boundary, { maxParts: 16 })) {
      if (part.name === "file") {
        if (got.file) throw badRequest("the multipart field 'file' appears twice; send one model per upload");
        if (part.filename === undefined) throw badRequest("the multipart field 'file' must be a file (with a filename), not a text value");
        got.file = await storeStream(part.body, { maxBytes: maxModelBytes, dir: opts.artifactDir, label: "the model file" });
      } else if (part.name === "reference") {
        if (got.reference) throw badRequest("the multipart field 'reference' appears twice");
        const name = (part.filename ?? "").toLowerCase();
        const stored = await storeStream(part.body, { maxBytes: maxReferenceBytes, dir: opts.artifactDir, label: "the reference dataset" });
        const format = name.endsWith(".json") || /json/.test(part.contentType ?? "") ? "json" : name.endsWith(".csv") ? "csv" : undefined;
        got.reference = { ...stored, format };
      } else if (part.name === "labels") {
        if (got.labels) throw badRequest("the multipart field 'labels' appears twice");
        got.labels = parseLabelFile(await part.text(MAX_LABEL_FILE_BYTES));
      } else if (part.name in fieldsSchema.shape) {
        got.fields[part.name] = (await part.text(16 * 1024)).trim();
      } else {
        throw badRequest(`unexpected multipart field '${part.name.slice(0, 60)}'; ${EXPECTED}`);
      }
    }
  } catch (e) {
    if (e instanceof MultipartError) throw badRequest(`malformed multipart body: ${e.message}`);
    throw e;
  }
  return got;
}

export async function uploadVersion(opts: UploadVersionOptions) {
  const modelName = parseModelName(opts.modelName);
  // Before the body is read: a reserved name may only receive versions if its model exists already.
  const reserved = newNameProblem(modelName);
  if (reserved && !(await opts.db.model.findUnique({ where: { name: modelName }, select: { id: true } }))) throw badRequest(reserved);
  const maxModelBytes = opts.maxModelBytes ?? config().maxModelBytes;
  const maxReferenceBytes = opts.maxReferenceBytes ?? config().maxRequestBytes;
  const boundary = multipartBoundary(opts.contentType);
  if (!boundary) {
    throw new AppError("unsupported_media_type", `send multipart/form-data (with a boundary); ${EXPECTED}`);
  }
  // Room for the files plus headers and text fields; the streaming caps below enforce each file's own limit.
  const maxBody = maxModelBytes + maxReferenceBytes + MAX_LABEL_FILE_BYTES + 256 * 1024;
  if (opts.contentLength !== null && opts.contentLength > maxBody) {
    throw new AppError("payload_too_large", `the upload is ${opts.contentLength} bytes; the limit is ${maxModelBytes} bytes for the model (FERRY_MAX_MODEL_BYTES)`);
  }
  if (!opts.body) throw badRequest(`the request has no body; ${EXPECTED}`);

  const got = await receive(opts, boundary, maxModelBytes, maxReferenceBytes);
  if (!got.file) throw badRequest(EXPECTED);
  if (got.file.sizeBytes === 0) throw badRequest("the model file is empty");
  const fields = fieldsSchema.parse(Object.fromEntries(Object.entries(got.fields).filter(([, v]) => v !== "")));
  const metrics = fields.metrics === undefined ? undefined : parseMetrics(fields.metrics);

  const { row } = await allocateVersion({
    db: opts.db,
    actor: opts.actor,
    modelName,
    sha256: got.file.sha256,
    sizeBytes: got.file.sizeBytes,
    storageKey: got.file.key,
    description: fields.description,
    source: fields.source ?? "api",
    sourceUrl: fields.sourceUrl,
    parentVersion: fields.parentVersion,
    referenceKey: got.reference?.key,
    metrics,
  });

  const result = await validateInChild({
    ...opts.validation,
    modelPath: artifactPath(got.file.key, opts.artifactDir),
    referencePath: got.reference ? artifactPath(got.reference.key, opts.artifactDir) : undefined,
    referenceFormat: got.reference?.format,
  });

  // The label file fits the model's outputs, or the version fails with the reason (as a model that does not validate).
  const labelled = result.ok && got.labels ? attachLabels(got.labels, result.signature) : undefined;
  const outcome = labelled && "problem" in labelled ? { ok: false as const, reason: `class labels: ${labelled.problem}`, validationMs: result.validationMs } : result;
  const signature = outcome.ok && labelled && "labels" in labelled ? { ...outcome.signature, labels: labelled.labels } : outcome.ok ? outcome.signature : undefined;

  const updated = await opts.db.$transaction(async (tx) => {
    const v = await tx.modelVersion.update({
      where: { id: row.id },
      data: outcome.ok
        ? {
            status: "ready",
            statusReason: null,
            signature: signature as object,
            irVersion: outcome.irVersion,
            opset: outcome.opset,
            producer: outcome.producer,
            metadata: outcome.metadata ?? {},
            referenceSummary: (outcome.referenceSummary ?? undefined) as object | undefined,
            validationMs: outcome.validationMs,
          }
        : { status: "failed", statusReason: outcome.reason, validationMs: outcome.validationMs },
    });
    await recordAudit(tx, opts.actor, {
      action: "model.validate",
      objectType: "model_version",
      objectId: `${modelName}@${row.version}`,
      after: { status: v.status, validationMs: outcome.validationMs, smoke: outcome.ok ? outcome.smoke : undefined, labels: signature?.labels ? Object.keys(signature.labels) : undefined },
      outcome: outcome.ok ? "success" : "failed",
      reason: outcome.ok ? undefined : outcome.reason,
    });
    return v;
  });
  return versionJson(modelName, updated);
}
