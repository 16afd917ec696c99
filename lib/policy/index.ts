export type {
  AccessLevel,
  Condition,
  ConditionValue,
  DatasetInput,
  DocumentChange,
  DocumentSize,
  Grant,
  InlinePolicySize,
  PlanInput,
  PlanResult,
  PolicyDocument,
  PolicyPrincipal,
  RevokedSession,
  Statement,
} from "./types";
export { PolicyValidationError, type PolicyErrorCode } from "./errors";
export { MANAGED_SID_PREFIX, isManagedSid, permissionSetRolePattern } from "./names";
export {
  accessLevelSchema,
  accountIdSchema,
  bucketNameSchema,
  durationSeconds,
  grantSchema,
  identityStoreUserIdSchema,
  kmsKeyArnSchema,
  permissionSetNameSchema,
  planInputSchema,
  prefixSchema,
  regionSchema,
  sessionDurationSchema,
} from "./schemas";
export { planPolicies, liveDocuments, type ProvableDocuments } from "./plan";
export { parseLivePolicy } from "./merge";
export { diffPolicies, type PolicyDiff, type StatementDiff } from "./diff";
export { proveAccess, describeRow, type ProofMatrix, type ProofOptions, type ProofOutcome, type ProofRow } from "./proof";
export {
  BUCKET_POLICY_LIMIT_BYTES,
  INLINE_POLICY_LIMIT_BYTES,
  INLINE_POLICY_LIMIT_WITHOUT_WHITESPACE,
  KEY_POLICY_LIMIT_BYTES,
  serializePolicy,
} from "./sizes";
