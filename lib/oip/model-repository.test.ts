import { describe, expect, it } from "vitest";
import { isOipError } from "./oip-error";
import { modelControlRefusal, parseIndexRequest, repositoryIndex } from "./model-repository";

describe("repositoryIndex", () => {
  const versions = [
    { endpoint: "b", version: 2, state: "warming" },
    { endpoint: "b", version: 10, state: "ready" },
    { endpoint: "a", version: 3, state: "failed", message: "sha256 mismatch" },
    { endpoint: "b", version: 1, state: "draining" },
    { endpoint: "a", version: 1, state: "loading" },
  ];

  it("maps each data plane state to Triton's, by name then version (numerically), with the reason of a failure", () => {
    expect(repositoryIndex(versions, { ready: false })).toEqual([
      { name: "a", version: "1", state: "LOADING", reason: "" },
      { name: "a", version: "3", state: "UNAVAILABLE", reason: "sha256 mismatch" },
      { name: "b", version: "1", state: "UNLOADING", reason: "" },
      { name: "b", version: "2", state: "LOADING", reason: "" },
      { name: "b", version: "10", state: "READY", reason: "" },
    ]);
  });

  it("keeps only the ready versions when asked", () => {
    expect(repositoryIndex(versions, { ready: true })).toEqual([{ name: "b", version: "10", state: "READY", reason: "" }]);
  });
});

describe("parseIndexRequest", () => {
  it("takes an empty body, {} and a boolean ready", () => {
    expect(parseIndexRequest(Buffer.from(""))).toEqual({ ready: false });
    expect(parseIndexRequest(Buffer.from(" {} "))).toEqual({ ready: false });
    expect(parseIndexRequest(Buffer.from('{"ready":true}'))).toEqual({ ready: true });
    expect(parseIndexRequest(Buffer.from('{"ready":false}'))).toEqual({ ready: false });
  });

  it("refuses anything else with a 400 that says what to send", () => {
    for (const [body, message] of [
      ["{", 'the repository index request is not valid JSON: send {} or {"ready": true}'],
      ["[]", 'the repository index request must be a JSON object: {} or {"ready": true}'],
      ["null", 'the repository index request must be a JSON object: {} or {"ready": true}'],
      ['{"ready":1}', "'ready' must be true or false"],
    ]) {
      let caught: unknown;
      try {
        parseIndexRequest(Buffer.from(body));
      } catch (e) {
        caught = e;
      }
      expect(isOipError(caught) && [caught.status, caught.message]).toEqual([400, message]);
    }
  });
});

describe("modelControlRefusal", () => {
  it("is a 400 that says what controls loading in Ferry", () => {
    const e = modelControlRefusal("fraud", "unload");
    expect(e.status).toBe(400);
    expect(e.message).toBe(
      "explicit model unload is not available: Ferry loads the versions endpoints route to. To stop serving 'fraud', change or delete the endpoint in the dashboard or with PUT/DELETE /api/endpoints/{name}",
    );
  });
});
