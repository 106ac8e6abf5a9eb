// Errors of the scoring protocol, shaped as MLflow's scoring server sends them: an MlflowException becomes
// JSON `{error_code, message[, error_class][, stack_trace]}` with the status its code maps to; the 415
// answers for content types are plain text, and a request past the timeout gets 504.

export type ScoringErrorCode = "BAD_REQUEST" | "INVALID_PARAMETER_VALUE" | "INTERNAL_ERROR";

const STATUS: Record<ScoringErrorCode, number> = {
  BAD_REQUEST: 400,
  INVALID_PARAMETER_VALUE: 400,
  INTERNAL_ERROR: 500,
};

export class ScoringError extends Error {
  constructor(
    readonly errorCode: ScoringErrorCode,
    message: string,
    readonly extra: { errorClass?: string; stackTrace?: string } = {},
  ) {
    super(message);
  }

  get status(): number {
    return STATUS[this.errorCode];
  }

  toJSON(): Record<string, string> {
    const body: Record<string, string> = { error_code: this.errorCode, message: this.message };
    if (this.extra.errorClass !== undefined) body.error_class = this.extra.errorClass;
    if (this.extra.stackTrace !== undefined) body.stack_trace = this.extra.stackTrace;
    return body;
  }
}

/** MLflow's MlflowInvalidInputException: BAD_REQUEST with the "Invalid input." prefix. */
export function invalidInput(message: string): ScoringError {
  return new ScoringError("BAD_REQUEST", `Invalid input. ${message}`);
}

/** A finished HTTP answer from the scoring logic (it runs in Workers, so it is plain data). */
export interface ScoringResponse {
  status: number;
  contentType: string;
  body: string;
}

export const JSON_TYPE = "application/json";

export function errorResponse(e: ScoringError): ScoringResponse {
  return { status: e.status, contentType: JSON_TYPE, body: JSON.stringify(e.toJSON()) };
}

export function textResponse(status: number, body: string): ScoringResponse {
  return { status, contentType: "text/plain; charset=utf-8", body };
}

/** What MLflow answers when a request runs past the timeout (status 504, JSON content type). */
export const TIMEOUT_BODY = "Request processing time exceeded limit";
