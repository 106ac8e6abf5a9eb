// MLflow's error model: every user-facing failure carries an error_code that maps to an HTTP status.
// The Python client branches on these codes, so they must match MLflow's exactly.

export type ErrorCode =
  | "INVALID_PARAMETER_VALUE"
  | "RESOURCE_ALREADY_EXISTS"
  | "BAD_REQUEST"
  | "RESOURCE_DOES_NOT_EXIST"
  | "ENDPOINT_NOT_FOUND"
  | "NOT_FOUND"
  | "PERMISSION_DENIED"
  | "UNAUTHENTICATED"
  | "RESOURCE_CONFLICT"
  | "ABORTED"
  | "REQUEST_LIMIT_EXCEEDED"
  | "INTERNAL_ERROR"
  | "INVALID_STATE"
  | "NOT_IMPLEMENTED"
  | "TEMPORARILY_UNAVAILABLE";

const STATUS: Record<ErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  BAD_REQUEST: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  NOT_FOUND: 404,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  RESOURCE_CONFLICT: 409,
  ABORTED: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  INVALID_STATE: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
};

export class MlflowError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = "MlflowError";
  }
  get status(): number {
    return STATUS[this.code];
  }
  toJSON(): { error_code: ErrorCode; message: string } {
    return { error_code: this.code, message: this.message };
  }
}

export const invalidParam = (message: string) => new MlflowError("INVALID_PARAMETER_VALUE", message);
export const notFound = (message: string) => new MlflowError("RESOURCE_DOES_NOT_EXIST", message);
export const alreadyExists = (message: string) => new MlflowError("RESOURCE_ALREADY_EXISTS", message);

export function isMlflowError(e: unknown): e is MlflowError {
  return e instanceof MlflowError ||
    // Errors crossing a Worker boundary arrive as plain objects.
    (typeof e === "object" && e !== null && (e as { name?: unknown }).name === "MlflowError" &&
      typeof (e as { code?: unknown }).code === "string");
}
