import type { Locator, Page } from "@playwright/test";

/** How many pixels of a table are hidden behind its wrapper's horizontal scroll (≤ 0: the whole table shows). */
export function hiddenTableWidth(table: Locator): Promise<number> {
  return table.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth);
}

/** How many pixels the page is wider than the window (≤ 0: no horizontal scroll of the whole page). */
export function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
