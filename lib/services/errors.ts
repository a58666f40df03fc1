import { KernelVersionError } from "../domain/kernel-version";

/**
 * Typed application errors. Services throw these; lib/http/route.ts maps them to one JSON shape.
 * Core code knows nothing of HTTP beyond the status each code maps to, kept here in one table.
 */
export const ERROR_STATUS = {
  invalid_json: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export interface IssueItem {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: IssueItem[],
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = "AppError";
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  /** 429 and 503 tell the client when to come back (`Retry-After`) */
  readonly retryAfterSeconds?: number;
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);

/**
 * The one place where errors of the pure domain become application errors: a kernel string or
 * series that cannot be parsed is bad input (422), wherever it was met (a zod refine, a service).
 * Null for anything else, which stays an internal error.
 */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof KernelVersionError) {
    return new AppError("validation_failed", err.message, [{ path: "(kernel)", message: err.message }], { cause: err });
  }
  return null;
}

/** zod issues → [{ path: "results[3].kernel", message }] so a reporter can find the bad field. */
export function issuesFromZod(issues: readonly { path: PropertyKey[]; message: string }[]): IssueItem[] {
  return issues.map((i) => ({
    path: i.path.reduce<string>((acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), "") || "(body)",
    message: i.message,
  }));
}
