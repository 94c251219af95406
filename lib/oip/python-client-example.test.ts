import { describe, expect, it } from "vitest";
import { grpcAddress, pythonClientExample } from "./python-client-example";

const inputs = [
  { name: "x", datatype: "FP32" as const, shape: [-1, 8] },
  { name: "ids", datatype: "INT64" as const, shape: [3] },
  { name: "text", datatype: "BYTES" as const, shape: [-1, 2] },
];
const outputs = [{ name: "probs", datatype: "FP32" as const, shape: [-1, 3] }];

describe("pythonClientExample", () => {
  it("writes a tritonclient.http program pinned to the version, one row where a dimension is dynamic", () => {
    const code = pythonClientExample({ transport: "http", address: "http://127.0.0.1:8000", endpoint: "fraud", version: 2, inputs, outputs });
    expect(code).toContain('import tritonclient.http as client  # pip install "tritonclient[http]"');
    expect(code).toContain('triton = client.InferenceServerClient("127.0.0.1:8000")');
    expect(code).toContain('x = client.InferInput("x", [1, 8], "FP32")\nx.set_data_from_numpy(np.zeros((1, 8), dtype=np.float32))');
    expect(code).toContain('x = client.InferInput("ids", [3], "INT64")\nx.set_data_from_numpy(np.zeros((3,), dtype=np.int64))');
    expect(code).toContain('x = client.InferInput("text", [1, 2], "BYTES")\nx.set_data_from_numpy(np.full((1, 2), b"", dtype=np.object_))');
    expect(code).toContain('result = triton.infer("fraud", inputs, model_version="2", headers=headers)');
    expect(code).toContain('print("probs", result.as_numpy("probs"))');
    expect(code.match(/inputs\.append\(x\)/g)).toHaveLength(3);
  });

  it("writes a tritonclient.grpc program with lower-case metadata, routed when no version is pinned", () => {
    const code = pythonClientExample({ transport: "grpc", address: grpcAddress("http://10.0.0.5:8000", 8001), endpoint: "fraud", inputs, outputs });
    expect(code).toContain("import tritonclient.grpc as client");
    expect(code).toContain('client.InferenceServerClient("10.0.0.5:8001")');
    // gRPC metadata keys must be lower case (Python's grpc refuses others).
    expect(code).toContain('headers = {"authorization": "Bearer " + os.environ["FERRY_TOKEN"]}');
    expect(code).toContain('result = triton.infer("fraud", inputs, headers=headers)');
  });

  it("asks for an output with class labels as its top classes, and still for every other output", () => {
    const two = [...outputs, { name: "embedding", datatype: "FP32" as const, shape: [-1, 16] }];
    for (const transport of ["http", "grpc"] as const) {
      const code = pythonClientExample({ transport, address: transport === "http" ? "http://h:8000" : "h:8001", endpoint: "fraud", version: 1, inputs, outputs: two, labels: { probs: ["legit", "fraud"] } });
      expect(code).toContain('outputs.append(client.InferRequestedOutput("probs", class_count=2))  # its top 2 classes, "score:index:label"');
      expect(code).toContain('outputs.append(client.InferRequestedOutput("embedding"))\n');
      expect(code).toContain('result = triton.infer("fraud", inputs, model_version="1", outputs=outputs, headers=headers)');
    }
    expect(pythonClientExample({ transport: "http", address: "http://h:8000", endpoint: "e", inputs, outputs })).not.toContain("InferRequestedOutput");
  });

  it("takes host and port from an https URL, with ssl, and quotes names safely", () => {
    const code = pythonClientExample({ transport: "http", address: "https://infer.example.com", endpoint: 'a"b', inputs: [{ name: "in\\put", datatype: "BOOL", shape: [2] }], outputs: [] });
    expect(code).toContain('client.InferenceServerClient("infer.example.com:443", ssl=True)');
    expect(code).toContain('client.InferInput("in\\\\put", [2], "BOOL")');
    expect(code).toContain("np.zeros((2,), dtype=np.bool_)");
    expect(code).toContain('triton.infer("a\\"b", inputs, headers=headers)');
  });
});
