import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/openapi.json",
    summary: "This OpenAPI document",
    description: "Generated from the zod contracts the routes parse with.",
    tags: ["system"],
    role: "public",
    responses: { 200: z.object({ openapi: z.string(), info: z.object({}).loose(), paths: z.record(z.string(), z.unknown()) }) },
  },
]);
