/** The `x-ferry-signature` header value of a webhook body: `sha256=<hex HMAC-SHA256 of the raw body>`. */
import crypto from "node:crypto";

export const SIGNATURE_HEADER = "x-ferry-signature";

export function signPayload(rawBody: string | Uint8Array, secret: string): string {
  return `sha256=${crypto.createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}
