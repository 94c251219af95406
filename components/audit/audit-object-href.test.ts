import { describe, expect, it } from "vitest";
import { auditObjectHref } from "./audit-object-href";

describe("auditObjectHref", () => {
  it("links the objects that have a page, by the audit's id conventions", () => {
    expect(auditObjectHref("endpoint", "fraud")).toBe("/endpoints/fraud");
    expect(auditObjectHref("model", "demo-classifier")).toBe("/models/demo-classifier");
    expect(auditObjectHref("model_version", "demo-classifier@12")).toBe("/models/demo-classifier/versions/12");
    expect(auditObjectHref("alias", "demo-classifier:production")).toBe("/models/demo-classifier");
    expect(auditObjectHref("alert", "cmx0dlo29000o6l7dildnmsse")).toBe("/alerts/cmx0dlo29000o6l7dildnmsse");
  });
  it("escapes names and leaves the rest unlinked", () => {
    expect(auditObjectHref("endpoint", "a b")).toBe("/endpoints/a%20b");
    expect(auditObjectHref("model_version", "no-version")).toBeUndefined();
    expect(auditObjectHref("alias", ":x")).toBeUndefined();
    expect(auditObjectHref("user", "cmx0")).toBeUndefined();
    expect(auditObjectHref("token", "cmx0")).toBeUndefined();
    expect(auditObjectHref("endpoint", null)).toBeUndefined();
  });
});
