/**
 * For webhook receivers: checks `x-ferry-signature` against the raw request body (the exact bytes received, before
 * any JSON parsing) in constant time. Pure (node:crypto only), so receivers can copy it as is.
 */
import crypto from "node:crypto";

export function verifySignature(rawBody: string | Uint8Array, header: string | null | undefined, secret: string): boolean {
  if (!header || !header.startsWith("sha256=")) return false;
  const given = header.slice("sha256=".length);
  if (!/^[0-9a-f]{64}$/i.test(given)) return false;
  const expected = crypto.createHmac("sha256", secret).update(rawBody).digest();
  return crypto.timingSafeEqual(expected, Buffer.from(given, "hex"));
}
