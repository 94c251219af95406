/**
 * Entry of the validator child process (see validate-in-child.ts): `node --import tsx validator-child.ts '<json>'`.
 * Prints one result line; anything thrown that is not a rejection exits non-zero and reads as a crash.
 */
import { validateModelFile } from "./validate-model-file";
import { RESULT_MARKER } from "./validation-result";

const request = JSON.parse(process.argv[2] ?? "{}");
validateModelFile(request).then(
  (result) => {
    process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`, () => process.exit(0));
  },
  (e) => {
    process.stderr.write(`validator error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
