/** Where an inference request goes, and shell commands that send one (the dashboard's examples, "Copy as curl"). Pure. */

/** `POST` address of an endpoint's inference on the data plane at `base`; with `version`, pinned to it (no routing). */
export function inferUrl(base: string, endpoint: string, version?: number): string {
  const pinned = version === undefined ? "" : `/versions/${version}`;
  return `${base.replace(/\/$/, "")}/v2/models/${encodeURIComponent(endpoint)}${pinned}/infer`;
}

/** Single-quotes a string for a POSIX shell (a quote inside becomes '\''). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * `curl` POSTing a JSON inference request to `url` with the token in `$FERRY_TOKEN`: the body inline, or read from
 * request.json when it is undefined. Lines end with a backslash.
 */
export function inferCurl(url: string, body: string | undefined): string {
  return [
    `curl -X POST ${url}`,
    `  -H "Authorization: Bearer $FERRY_TOKEN" -H 'content-type: application/json'`,
    body === undefined ? "  -d @request.json" : `  -d ${shellQuote(body)}`,
  ].join(" \\\n");
}
