export type AwsServiceName = "s3" | "kms" | "sso-admin" | "identitystore" | "iam" | "sts";

/** A failed AWS call, with what the provisioning job needs to record it and to decide on a retry. */
export class AwsCallError extends Error {
  readonly service: AwsServiceName;
  readonly operation: string;
  /** AWS error code (such as MalformedPolicy), or a portal code: NetworkError, RequestFailed, PollTimeout. */
  readonly code: string;
  readonly requestId: string | null;
  readonly retryable: boolean;
  readonly httpStatus: number | null;

  constructor(fields: {
    service: AwsServiceName;
    operation: string;
    code: string;
    message: string;
    requestId?: string | null;
    retryable: boolean;
    httpStatus?: number | null;
    cause?: unknown;
  }) {
    super(fields.message, { cause: fields.cause });
    this.name = "AwsCallError";
    this.service = fields.service;
    this.operation = fields.operation;
    this.code = fields.code;
    this.requestId = fields.requestId ?? null;
    this.retryable = fields.retryable;
    this.httpStatus = fields.httpStatus ?? null;
  }
}

// Codes that mean "try again later" in the services the portal calls.
// SSO Admin's API model describes ConflictException as a previous write that
// has not propagated yet, and recommends a retry with backoff.
const RETRYABLE_CODES = new Set([
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "SlowDown",
  "ServiceUnavailable",
  "InternalError",
  "InternalFailure",
  "InternalServerException",
  "KMSInternalException",
  "DependencyTimeoutException",
  "ConcurrentModificationException",
  "ConflictException",
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestTimeout",
  "RequestTimeoutException",
]);

interface SdkErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** Converts whatever an SDK call threw into an AwsCallError; an AwsCallError passes through unchanged. */
export function toAwsCallError(service: AwsServiceName, operation: string, error: unknown): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const sdkError = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const status = sdkError.$metadata?.httpStatusCode ?? null;

  // No HTTP status means the request got no response, because the connection was refused, reset or timed out.
  if (status === null) {
    return new AwsCallError({
      service,
      operation,
      code: "NetworkError",
      message: `${service} ${operation} got no response: ${sdkError.message ?? String(error)}`,
      retryable: true,
      cause: error,
    });
  }

  const code = sdkError.Code ?? sdkError.name ?? "UnknownError";
  const retryable =
    Boolean(sdkError.$retryable) || status >= 500 || status === 429 || RETRYABLE_CODES.has(code);
  return new AwsCallError({
    service,
    operation,
    code,
    message: `${service} ${operation} failed with ${code}: ${sdkError.message ?? "no message"}`,
    requestId: sdkError.$metadata?.requestId ?? null,
    retryable,
    httpStatus: status,
    cause: error,
  });
}
