// The one error type of the client: MLflow's error body ({error_code, message}) or, for a non-JSON answer,
// a code derived from the HTTP status the way MLflow's Python client derives it.

export class TrackerError extends Error {
  constructor(
    message: string,
    /** MLflow's error code, e.g. RESOURCE_DOES_NOT_EXIST; NETWORK_ERROR when no answer arrived. */
    readonly errorCode: string,
    /** HTTP status of the answer; undefined when the request never got one. */
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = "TrackerError";
  }
}

const CODE_BY_STATUS: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "ENDPOINT_NOT_FOUND",
  409: "ABORTED",
  429: "REQUEST_LIMIT_EXCEEDED",
  500: "INTERNAL_ERROR",
  501: "NOT_IMPLEMENTED",
  503: "TEMPORARILY_UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** Builds the error for a non-2xx answer from its body text. */
export function errorFromResponse(status: number, body: string, what: string): TrackerError {
  try {
    const parsed = JSON.parse(body) as { error_code?: unknown; message?: unknown };
    if (parsed && typeof parsed.error_code === "string") {
      const message = typeof parsed.message === "string" ? parsed.message : body;
      return new TrackerError(`${parsed.error_code}: ${message}`, parsed.error_code, status);
    }
  } catch {
    // Not JSON (a proxy's HTML page, the plain-text 503 of --no-serve-artifacts): fall through.
  }
  const code = CODE_BY_STATUS[status] ?? (status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST");
  const text = body.trim().slice(0, 500);
  return new TrackerError(`${what} failed with HTTP ${status}${text ? `: ${text}` : ""}`, code, status);
}

export function isTrackerError(e: unknown, code?: string): e is TrackerError {
  return e instanceof TrackerError && (code === undefined || e.errorCode === code);
}
