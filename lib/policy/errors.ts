export type PolicyErrorCode =
  | "invalid-input"
  | "invalid-live-policy"
  | "edited-managed-statement"
  | "owner-lockout"
  | "policy-too-large";

/**
 * Error for input or live documents the engine rejects. `field` is the path of
 * the offending value in the plan input, such as "datasets[0].prefix" or
 * "bucket.policy".
 */
export class PolicyValidationError extends Error {
  readonly field: string;
  /** The message without the field name. */
  readonly reason: string;
  readonly code: PolicyErrorCode;
  /** Size and limit in bytes, set when code is "policy-too-large". */
  readonly size?: { bytes: number; limit: number };

  constructor(
    field: string,
    message: string,
    code: PolicyErrorCode = "invalid-input",
    size?: { bytes: number; limit: number },
  ) {
    super(`${field}: ${message}`);
    this.name = "PolicyValidationError";
    this.field = field;
    this.reason = message;
    this.code = code;
    if (size) this.size = size;
  }
}
