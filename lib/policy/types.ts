export type AccessLevel = "read" | "read-write";

export type ConditionScalar = string | number | boolean;
export type ConditionValue = ConditionScalar | ConditionScalar[];
/** Condition block: operator → condition key → value or values. */
export type Condition = Record<string, Record<string, ConditionValue>>;

export type PolicyPrincipal = "*" | Record<string, string | string[]>;

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: PolicyPrincipal;
  NotPrincipal?: PolicyPrincipal;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Condition;
}

export type PolicyDocument = { Version: "2012-10-17"; Id?: string; Statement: Statement[] };

export interface Grant {
  consumerAccountId: string;
  permissionSetName: string;
  access: AccessLevel;
}

export interface DatasetInput {
  /** Folder of the bucket, ending in `/`. */
  prefix: string;
  /** Active grants; one entry per person is fine, duplicates add nothing. */
  grants: Grant[];
}

export interface RevokedSession {
  /** Immutable Identity Store user ID of the person whose sessions are denied. */
  userId: string;
  consumerAccountId: string;
  permissionSetName: string;
  prefix: string;
  /** Sessions issued before this ISO 8601 time are denied. */
  issuedBefore: string;
}

export interface PlanInput {
  bucket: {
    name: string;
    region: string;
    accountId: string;
    bucketKeyEnabled: boolean;
    /** Live bucket policy, or null when the bucket has none. */
    policy: PolicyDocument | string | null;
  };
  key: { arn: string; policy: PolicyDocument | string };
  datasets: DatasetInput[];
  revokedSessions?: RevokedSession[];
  /**
   * Live inline policies of the permission sets, by name. When a name is
   * present, its statements that this bucket does not own are kept.
   */
  livePermissionSetPolicies?: Record<string, PolicyDocument | string | null>;
  /**
   * If true, managed statements that were edited by hand are replaced instead
   * of rejecting the plan. The warnings list the replaced statements.
   */
  replaceEditedStatements?: boolean;
}

export interface DocumentSize {
  /** UTF-8 bytes of the compact JSON that `serializePolicy` returns. */
  bytes: number;
  limit: number;
}

export interface InlinePolicySize extends DocumentSize {
  bytesWithoutWhitespace: number;
  limitWithoutWhitespace: number;
}

export type DocumentChange = "create" | "update" | "delete" | "none";

export interface PlanResult {
  /** The bucket policy to write, or null to delete it (no statements left). */
  bucketPolicy: PolicyDocument | null;
  keyPolicy: PolicyDocument;
  /** Inline policy per permission set name. */
  permissionSetPolicies: Record<string, PolicyDocument>;
  /** Permission sets whose inline policy has no statement left and should be deleted. */
  deletedPermissionSetPolicies: string[];
  warnings: string[];
  sizes: {
    bucketPolicy: DocumentSize | null;
    keyPolicy: DocumentSize;
    permissionSetPolicies: Record<string, InlinePolicySize>;
  };
  /**
   * Change that writing the plan makes to each live document. A permission set
   * without a live policy in the input counts as "create".
   */
  changes: {
    bucketPolicy: DocumentChange;
    keyPolicy: DocumentChange;
    permissionSetPolicies: Record<string, DocumentChange>;
  };
}
