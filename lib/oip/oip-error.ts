/**
 * The one error the Open Inference Protocol codec throws. Its message is written for the client (it names the
 * input and what was expected) and never carries a stack trace or a file path; `body` is the protocol's
 * `{"error": message}` reply.
 */
export class OipError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "OipError";
    this.status = status;
  }

  get body(): { error: string } {
    return { error: this.message };
  }
}

export const oipBadRequest = (message: string) => new OipError(400, message);

/** The answer to an `outputs` entry naming something the model does not produce. */
export function unknownOutputError(name: string, outputNames: string[]): OipError {
  return oipBadRequest(`requested output '${name}' is not an output of the model (outputs: ${outputNames.join(", ")})`);
}

export function isOipError(e: unknown): e is OipError {
  return e instanceof OipError;
}
