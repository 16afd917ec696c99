import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { dirname } from "node:path";

export const STATE_VERSION = 1;

export interface AccountRecord {
  id: string;
  name: string;
}

export interface RoleRecord {
  accountId: string;
  name: string;
  path: string;
  arn: string;
  roleId: string;
  createDate: string;
  trustPolicy: string;
  maxSessionDuration: number;
  description?: string;
  /** Inline policies by name. Identity Center copies the permission set's inline policy here on provisioning. */
  inlinePolicies: Record<string, string>;
}

export interface ObjectRecord {
  /** Object content, base64-encoded so that the state file stays JSON. */
  body: string;
  contentType: string;
  etag: string;
  lastModified: string;
  kmsKeyArn: string | null;
}

export interface BucketRecord {
  name: string;
  accountId: string;
  region: string;
  createdDate: string;
  policy: string | null;
  encryption: { algorithm: "aws:kms" | "AES256"; kmsKeyId?: string; bucketKeyEnabled: boolean } | null;
  objectOwnership: string | null;
  objects: Record<string, ObjectRecord>;
}

export interface KeyRecord {
  keyId: string;
  arn: string;
  accountId: string;
  region: string;
  description: string;
  createdDate: string;
  keyManager: "CUSTOMER" | "AWS";
  keyState: string;
  multiRegion: boolean;
  aliases: string[];
  policy: string;
}

export interface UserRecord {
  userId: string;
  userName: string;
  displayName: string;
  givenName: string;
  familyName: string;
  email: string;
}

export interface GroupRecord {
  groupId: string;
  displayName: string;
  description: string;
  memberUserIds: string[];
}

export interface PermissionSetRecord {
  arn: string;
  name: string;
  description?: string;
  sessionDuration: string;
  relayState?: string;
  createdDate: string;
  inlinePolicy: string | null;
  /** Incremented on each change, so that accounts provisioned with an older version show as outdated. */
  version: number;
}

export interface ProvisionedRecord {
  permissionSetArn: string;
  accountId: string;
  roleArn: string;
  version: number;
}

export interface AssignmentRecord {
  accountId: string;
  permissionSetArn: string;
  principalType: "USER" | "GROUP";
  principalId: string;
}

export type OperationKind = "provision" | "assignment-create" | "assignment-delete";

/** An asynchronous Identity Center request: IN_PROGRESS until `settlesAt`, then SUCCEEDED or FAILED. */
export interface OperationRecord {
  kind: OperationKind;
  requestId: string;
  createdDate: string;
  settlesAt: number;
  status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
  failureReason?: string;
  permissionSetArn: string;
  targetId: string;
  principalType?: "USER" | "GROUP";
  principalId?: string;
}

export interface IdentityCenterRecord {
  instanceArn: string;
  identityStoreId: string;
  accountId: string;
  region: string;
  name: string;
  createdDate: string;
  users: Record<string, UserRecord>;
  groups: Record<string, GroupRecord>;
  permissionSets: Record<string, PermissionSetRecord>;
  provisioned: ProvisionedRecord[];
  assignments: AssignmentRecord[];
  operations: Record<string, OperationRecord>;
}

export interface SessionRecord {
  accessKeyId: string;
  sessionToken: string;
  accountId: string;
  roleArn: string;
  roleId: string;
  sessionName: string;
  issuedAt: string;
  expiration: string;
}

export interface SandboxState {
  version: typeof STATE_VERSION;
  accounts: Record<string, AccountRecord>;
  roles: Record<string, RoleRecord>;
  buckets: Record<string, BucketRecord>;
  keys: Record<string, KeyRecord>;
  identityCenter: IdentityCenterRecord;
  sessions: Record<string, SessionRecord>;
}

/** Keeps the sandbox state in memory and writes it to one JSON file after every change. */
export class StateStore {
  private current: SandboxState;
  private tempCounter = 0;

  constructor(
    private readonly file: string,
    private readonly createSeed: () => SandboxState,
    fresh: boolean,
  ) {
    this.current = fresh ? createSeed() : (this.load() ?? createSeed());
    this.persist();
  }

  get state(): SandboxState {
    return this.current;
  }

  /** Runs a change on the state and persists it, also when the change throws halfway. */
  update<T>(change: (state: SandboxState) => T): T {
    try {
      return change(this.current);
    } finally {
      this.persist();
    }
  }

  /**
   * Restores the seed scenario but keeps the role sessions issued so far,
   * so that running clients keep working with their cached credentials.
   */
  reset(): void {
    const sessions = this.current.sessions;
    this.current = this.createSeed();
    this.current.sessions = sessions;
    this.persist();
  }

  private load(): SandboxState | null {
    if (!existsSync(this.file)) return null;
    const text = readFileSync(this.file, "utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(
        `Sandbox state file ${this.file} is not valid JSON (${(error as Error).message}); delete it or start with fresh: true`,
      );
    }
    const version = (parsed as { version?: unknown } | null)?.version;
    if (version !== STATE_VERSION) {
      throw new Error(
        `Sandbox state file ${this.file} has version ${String(version)}, expected ${STATE_VERSION}; delete it or start with fresh: true`,
      );
    }
    return parsed as SandboxState;
  }

  // Write to a temporary file and rename it over the old one, so a crash
  // never leaves a half-written state file. Synchronous on purpose, so that
  // two requests never interleave their writes; the file stays small.
  persist(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    this.tempCounter += 1;
    const temporary = `${this.file}.${process.pid}.${this.tempCounter}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.current, null, 2));
    renameSync(temporary, this.file);
  }
}
