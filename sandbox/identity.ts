import type { IncomingHttpHeaders } from "node:http";
import { PORTAL_USER, SANDBOX_ACCESS_KEY_PREFIX } from "./scenario";
import { PROTOCOL_OF, ServiceError, type ServiceName } from "./protocol";
import type { SandboxState } from "./state";

/** The parts of a SigV4 credential scope: `Credential=AKID/date/region/service/aws4_request`. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export interface Principal {
  accountId: string;
  arn: string;
  userId: string;
  kind: "user" | "assumed-role";
  roleArn?: string;
  /** When the role session was issued, for aws:TokenIssueTime. */
  sessionIssuedAt?: string;
  sessionName?: string;
}

const SCOPE_PATTERN = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

/** Reads the credential scope from the Authorization header or from a presigned URL's X-Amz-Credential. */
export function parseCredentialScope(headers: IncomingHttpHeaders, url: URL): CredentialScope | null {
  const authorization = headers.authorization;
  const source =
    typeof authorization === "string"
      ? authorization
      : url.searchParams.has("X-Amz-Credential")
        ? `Credential=${url.searchParams.get("X-Amz-Credential")}`
        : null;
  if (!source) return null;
  const match = SCOPE_PATTERN.exec(source);
  if (!match) return null;
  const [, accessKeyId = "", date = "", region = "", service = ""] = match;
  return { accessKeyId, date, region, service };
}

function authError(service: ServiceName, kind: "missing" | "unknown" | "expired"): ServiceError {
  const protocol = PROTOCOL_OF[service];
  if (protocol === "rest-xml") {
    if (kind === "missing") return new ServiceError("AccessDenied", "Access Denied", 403);
    if (kind === "expired") return new ServiceError("ExpiredToken", "The provided token has expired.", 400);
    return new ServiceError(
      "InvalidAccessKeyId",
      "The AWS Access Key Id you provided does not exist in our records.",
      403,
    );
  }
  if (protocol === "json") {
    if (kind === "missing") return new ServiceError("MissingAuthenticationTokenException", "Missing Authentication Token");
    if (kind === "expired") {
      return new ServiceError("ExpiredTokenException", "The security token included in the request is expired");
    }
    return new ServiceError("UnrecognizedClientException", "The security token included in the request is invalid.");
  }
  if (kind === "missing") {
    return new ServiceError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
  }
  if (kind === "expired") {
    return new ServiceError("ExpiredToken", "The security token included in the request is expired", 403);
  }
  return new ServiceError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
}

/**
 * Maps the access key of a request to the account and principal it acts as.
 * Signatures are not verified: `AKIASANDBOX…` keys are the portal's IAM user
 * in the owner account, and `ASIA…` keys are sessions issued by AssumeRole,
 * looked up in the state together with their session token.
 */
export function resolvePrincipal(
  state: SandboxState,
  service: ServiceName,
  scope: CredentialScope | null,
  sessionToken: string | undefined,
  now: Date,
): Principal {
  if (!scope) throw authError(service, "missing");
  const { accessKeyId } = scope;

  if (accessKeyId.startsWith(SANDBOX_ACCESS_KEY_PREFIX)) {
    return { accountId: PORTAL_USER.accountId, arn: PORTAL_USER.arn, userId: PORTAL_USER.userId, kind: "user" };
  }

  const session = state.sessions[accessKeyId];
  if (!session || session.sessionToken !== sessionToken) throw authError(service, "unknown");
  if (Date.parse(session.expiration) <= now.getTime()) throw authError(service, "expired");

  const roleName = session.roleArn.split("/").pop() ?? "";
  return {
    accountId: session.accountId,
    arn: `arn:aws:sts::${session.accountId}:assumed-role/${roleName}/${session.sessionName}`,
    userId: `${session.roleId}:${session.sessionName}`,
    kind: "assumed-role",
    roleArn: session.roleArn,
    sessionIssuedAt: session.issuedAt,
    sessionName: session.sessionName,
  };
}
