import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native addons, WebAssembly and packages that must be loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    "onnxruntime-node",
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/schema-engine-wasm",
    "@node-rs/argon2",
    "pg",
    "pino",
    "prom-client",
  ],
  poweredByHeader: false,
  typedRoutes: false,
  devIndicators: false,
  // Type checking and lint run in `npm test`; the build need not repeat them.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
