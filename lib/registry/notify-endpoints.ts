/** Tells the data plane (after commit) that these endpoints' desired state changed; the poller is the fallback. */
import { notifyDesiredState } from "@/lib/endpoints/notify-desired-state";
import { logger } from "@/lib/logger";

export async function notifyEndpoints(names: string[]): Promise<void> {
  for (const name of names) {
    try {
      await notifyDesiredState(name);
    } catch (e) {
      logger().warn({ err: e, endpoint: name }, "could not notify the data plane; it will catch up by polling");
    }
  }
}
