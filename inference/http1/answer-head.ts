/**
 * The head of an answer as the HTTP/1.1 server writes it: status line, the handler's fields (those that frame the
 * message — content-length, connection, date, transfer-encoding — are the server's to write), then date,
 * content-length and connection. Pure but for the cached date; the connection decides what to do with the result.
 */
import { STATUS_CODES } from "node:http";
import { TOKEN } from "./parse-request-head";
import type { ReplyHeaders } from "./http1-server";

const SKIPPED_HEADERS = new Set(["content-length", "connection", "date", "transfer-encoding"]);
// Anything but visible latin1, space and tab; also catches U+010A and the like, which latin1 encoding writes as LF.
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
// Anything but visible ASCII, space and tab: tested first, so a value pays for INVALID_VALUE only when it has such a byte.
const NOT_PLAIN_VALUE = /[^\t\x20-\x7e]/;

const INVALID_NAME = "";
/** Header names answers use, lower-cased ("" = not a valid name): a handful of names, checked once each, not per answer. */
const headerNames = new Map<string, string>();
function headerNameOf(name: string): string {
  let key = headerNames.get(name);
  if (key === undefined) {
    key = TOKEN.test(name) ? name.toLowerCase() : INVALID_NAME;
    if (headerNames.size < 1_000) headerNames.set(name, key);
  }
  return key;
}

let cachedDate = "";
let cachedDateSecond = -1;
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== cachedDateSecond) {
    cachedDateSecond = second;
    cachedDate = new Date(second * 1000).toUTCString();
  }
  return cachedDate;
}

/** `latin1`: the head has bytes above 0x7f (obs-text in a value), so it must be written as latin1, not as UTF-8. */
export type AnswerHead = { text: string; close: boolean; latin1: boolean; invalid?: undefined } | { invalid: string };

/**
 * `close`: whether the connection closes after this answer as far as the server knows; a handler's `Connection:
 * close` adds to it. `invalid` names what cannot be written as is (a status outside 200-999, a field name that is not a
 * token, a control character in a value): the caller answers 500 instead.
 */
export function answerHead(status: number, headers: ReplyHeaders, length: number, opts: { close: boolean; http10: boolean }): AnswerHead {
  let close = opts.close;
  let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Unknown"}\r\n`;
  // 1xx would be read as an interim answer, and the client would then wait for another one.
  let invalid = Number.isInteger(status) && status >= 200 && status <= 999 ? "" : `status ${status}`;
  let latin1 = false;
  for (const name in headers) {
    const key = headerNameOf(name);
    const value = String(headers[name]);
    if (key === "connection" && value.toLowerCase() === "close") close = true;
    if (SKIPPED_HEADERS.has(key)) continue;
    if (key === INVALID_NAME) invalid ||= `header '${name.slice(0, 40)}'`;
    else if (NOT_PLAIN_VALUE.test(value)) {
      if (INVALID_VALUE.test(value)) invalid ||= `header '${name.slice(0, 40)}'`;
      else latin1 = true;
    }
    text += `${name}: ${value}\r\n`;
  }
  if (invalid) return { invalid };
  text += `date: ${httpDate()}\r\ncontent-length: ${length}\r\n`;
  if (close) text += "connection: close\r\n";
  else if (opts.http10) text += "connection: keep-alive\r\n";
  return { text: `${text}\r\n`, close, latin1 };
}
