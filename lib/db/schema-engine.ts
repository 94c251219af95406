/**
 * Prisma's migration engine compiled to WebAssembly, driven without the native binary (which cannot be downloaded
 * here; see ENVIRONMENT.md). Writes the standard `_prisma_migrations` rows, so `prisma migrate deploy` stays
 * compatible wherever the native engine exists.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

type WasmModule = typeof import("@prisma/schema-engine-wasm");
export type SchemaEngine = Awaited<ReturnType<WasmModule["SchemaEngine"]["new"]>>;

let wasmReady: Promise<WasmModule> | undefined;

/** Loads the engine's WebAssembly once, without `--experimental-wasm-modules`. */
function loadWasm(): Promise<WasmModule> {
  wasmReady ??= (async () => {
    // Paths from process.cwd(): inside a Turbopack bundle require.resolve returns a number (ENVIRONMENT.md).
    const pkgDir = path.join(process.cwd(), "node_modules", "@prisma", "schema-engine-wasm");
    const bg = (await import(
      /* webpackIgnore: true */ /* turbopackIgnore: true */ pathToFileUrl(path.join(pkgDir, "schema_engine_bg.js"))
    )) as WasmModule & { __wbg_set_wasm(e: unknown): void };
    const bytes = fs.readFileSync(path.join(pkgDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg as never });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return bg;
  })();
  return wasmReady;
}

function pathToFileUrl(p: string): string {
  return new URL(`file://${p}`).href;
}

export async function createSchemaEngine(factory: SqlMigrationAwareDriverAdapterFactory, datamodel: string) {
  const wasm = await loadWasm();
  const logs: string[] = [];
  const engine = await wasm.SchemaEngine.new(
    { datamodels: [["schema.prisma", datamodel]] },
    (log: string) => logs.push(log),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  return { engine, logs };
}

/** Runs a migration script as one simple-protocol query, so `$$` bodies survive (the adapters split on `;`). */
export function withWholeScript<T extends SqlDriverAdapter>(adapter: T, run: (script: string) => Promise<unknown>): T {
  adapter.executeScript = async (script: string) => {
    await run(script);
  };
  return adapter;
}

export const requireFromHere = createRequire(path.join(process.cwd(), "package.json"));
