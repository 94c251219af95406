import type { Locator } from "@playwright/test";

/** How many pixels of a table are hidden behind its wrapper's horizontal scroll (≤ 0: the whole table shows). */
export function hiddenTableWidth(table: Locator): Promise<number> {
  return table.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth);
}
