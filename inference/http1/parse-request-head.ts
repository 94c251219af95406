/**
 * Parses an HTTP/1.x request head (request line and header fields, up to the empty line) strictly, as RFC 9112
 * asks of a server that may sit behind proxies: anything ambiguous about where the body ends is refused rather
 * than guessed (both Content-Length and Transfer-Encoding, differing Content-Lengths, obsolete line folding, bare
 * CR or LF, a transfer coding other than `chunked`), so a proxy and Ferry can never disagree about request
 * boundaries.
 */

/** A request the server refuses before any handler sees it; the connection is closed after the answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export interface RequestHead {
  method: string;
  /** The request target as sent (origin form), or the path and query of an absolute-form target. */
  url: string;
  httpVersion: "1.0" | "1.1";
  /** Lower-case names; repeated fields joined with ", " (RFC 9110 §5.3). */
  headers: Record<string, string>;
  /** Bytes of body that follow, when framed by Content-Length (0 when there is no body). */
  contentLength: number;
  chunked: boolean;
  /** Whether the connection may carry another request after this one. */
  keepAlive: boolean;
  expectContinue: boolean;
}

export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: visible ASCII, obs-text, space and tab; no controls (a bare CR or LF stays inside its line and fails here).
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const TARGET = /^[\x21-\x7e\x80-\xff]+$/;
const MAX_FIELDS = 100;

/** `head` is the text of the head without the final CRLF CRLF, decoded as latin1 (one char per byte). */
export function parseRequestHead(head: string): RequestHead {
  const lines = head.split("\r\n");
  const requestLine = lines[0];
  const sp1 = requestLine.indexOf(" ");
  const sp2 = requestLine.lastIndexOf(" ");
  if (sp1 <= 0 || sp2 === sp1) throw new HttpError(400, "malformed request line");
  const method = requestLine.slice(0, sp1);
  const target = requestLine.slice(sp1 + 1, sp2);
  const version = requestLine.slice(sp2 + 1);
  if (!TOKEN.test(method)) throw new HttpError(400, "malformed request method");
  if (!TARGET.test(target)) throw new HttpError(400, "malformed request target");
  if (version !== "HTTP/1.1" && version !== "HTTP/1.0") {
    throw new HttpError(/^HTTP\/\d(\.\d)?$/.test(version) ? 505 : 400, `unsupported protocol version '${version.slice(0, 20)}' (HTTP/1.1 and HTTP/1.0 are served)`);
  }
  if (lines.length - 1 > MAX_FIELDS) throw new HttpError(431, `too many header fields (more than ${MAX_FIELDS})`);

  // No prototype: a field named `constructor` or `__proto__` must read back as what the client sent.
  const headers = Object.create(null) as Record<string, string>;
  let contentLengths = 0;
  let hosts = 0;
  for (let i = 1; i < lines.length; i++) {
    const field = fieldOf(lines[i]);
    const key = field.key;
    const value = field.value;
    if (key === "content-length") contentLengths++;
    else if (key === "host") hosts++;
    const previous = headers[key];
    headers[key] = previous === undefined ? value : `${previous}, ${value}`;
  }

  const httpVersion = version === "HTTP/1.1" ? "1.1" : "1.0";
  if (httpVersion === "1.1" && headers.host === undefined) throw new HttpError(400, "an HTTP/1.1 request needs a Host header");
  // RFC 9112 §3.2: proxies may route by either of two Hosts.
  if (hosts > 1) throw new HttpError(400, "a request cannot have more than one Host header");

  let contentLength = 0;
  let chunked = false;
  const te = headers["transfer-encoding"];
  if (te !== undefined) {
    if (headers["content-length"] !== undefined) throw new HttpError(400, "a request cannot have both Content-Length and Transfer-Encoding");
    if (httpVersion === "1.0") throw new HttpError(400, "Transfer-Encoding is not allowed in an HTTP/1.0 request");
    if (te.toLowerCase() !== "chunked") throw new HttpError(501, `transfer coding '${te.slice(0, 40)}' is not supported (only chunked)`);
    chunked = true;
  } else if (headers["content-length"] !== undefined) {
    contentLength = parseContentLength(headers["content-length"], contentLengths);
  }

  const connection = (headers.connection ?? "").toLowerCase();
  const keepAlive = httpVersion === "1.1" ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
  const expect = headers.expect;
  let expectContinue = false;
  if (expect !== undefined) {
    if (expect.toLowerCase() !== "100-continue") throw new HttpError(417, `expectation '${expect.slice(0, 40)}' is not supported`);
    expectContinue = httpVersion === "1.1";
  }
  return { method, url: originForm(target), httpVersion, headers, contentLength, chunked, keepAlive, expectContinue };
}

/**
 * Header lines already parsed and validated, by their exact text. A client sends the same lines request after request
 * (host, token, content type, often the length): a line seen before costs one map lookup instead of two regular
 * expressions, a trim, a lower-casing and two slices. Bounded: emptied when full, so lines that never repeat cost only
 * their parse.
 */
const FIELD_LINES = new Map<string, { key: string; value: string }>();
const MAX_CACHED_LINES = 2_000;

function fieldOf(line: string): { key: string; value: string } {
  let field = FIELD_LINES.get(line);
  if (field !== undefined) return field;
  const colon = line.indexOf(":");
  if (colon <= 0) throw new HttpError(400, line.length > 0 && (line[0] === " " || line[0] === "\t") ? "obsolete line folding is not accepted" : "malformed header field");
  const name = line.slice(0, colon);
  if (!TOKEN.test(name)) throw new HttpError(400, "malformed header field name");
  const value = trimOws(line.slice(colon + 1));
  if (!FIELD_VALUE.test(value)) throw new HttpError(400, `header field '${name.slice(0, 40).toLowerCase()}' has invalid characters`);
  field = { key: name.toLowerCase(), value };
  if (FIELD_LINES.size >= MAX_CACHED_LINES) FIELD_LINES.clear();
  FIELD_LINES.set(line, field);
  return field;
}

/** `Content-Length: 5` or the same value repeated (`5, 5` or two fields); anything else is refused. */
function parseContentLength(raw: string, fields: number): number {
  const values = fields > 1 || raw.includes(",") ? raw.split(",").map((v) => v.trim()) : [raw];
  if (values.some((v) => v !== values[0])) throw new HttpError(400, "conflicting Content-Length values");
  if (!/^\d{1,15}$/.test(values[0])) throw new HttpError(400, "malformed Content-Length");
  return Number(values[0]);
}

function originForm(target: string): string {
  if (target[0] === "/" || target === "*") return target;
  // Absolute form (sent to proxies, and allowed to servers): keep path and query.
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*(.*)$/.exec(target);
  if (!m) throw new HttpError(400, "malformed request target");
  return m[1] === "" ? "/" : m[1][0] === "?" ? `/${m[1]}` : m[1];
}

function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function hasToken(list: string, token: string): boolean {
  if (list === "") return false;
  if (list === token) return true;
  return list.split(",").some((t) => t.trim() === token);
}
