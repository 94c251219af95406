/** The request's JSON body, or a 400 that says what is wrong with it (never a 500 for a client's typo). */
import { badRequest } from "@/lib/errors";

export async function readJson(req: Request, maxBytes = 1024 * 1024): Promise<unknown> {
  const len = Number(req.headers.get("content-length") ?? 0);
  if (len > maxBytes) throw badRequest(`the JSON body is larger than ${maxBytes} bytes`);
  const text = await req.text();
  if (text.length > maxBytes) throw badRequest(`the JSON body is larger than ${maxBytes} bytes`);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("the body is not valid JSON");
  }
}
