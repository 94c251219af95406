/** After commit: tell the data planes; a failed NOTIFY is not a failed rollout step (they also poll). */
import { notifyDesiredState } from "@/lib/endpoints/notify-desired-state";
import { logger } from "@/lib/logger";

export async function notifyRollout(endpointName: string): Promise<void> {
  try {
    await notifyDesiredState(endpointName);
  } catch (e) {
    logger().warn({ err: e, endpoint: endpointName }, "could not notify the data plane of a rollout step; it will catch up by polling");
  }
}
