"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** False during server render and before hydration: forms keep their submit disabled until their handler exists. */
export function useHydrated(): boolean {
  return useSyncExternalStore(subscribe, () => true, () => false);
}
