import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // The data plane and the pure shared modules must not reach into the dashboard (STYLE.md 8).
    files: ["inference/**/*.ts", "lib/**/*.ts"],
    // all-contracts.ts gathers the route contracts for the OpenAPI document: the one sanctioned exception.
    ignores: ["lib/openapi/all-contracts.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*", "@/components/*"], message: "lib/ and inference/ must not import the dashboard" }] }],
    },
  },
  {
    ignores: ["node_modules/**", ".next/**", "lib/generated/**", "test-results/**", "playwright-report/**", ".ferry/**", "next-env.d.ts", "**/*.py"],
  },
];

export default config;
