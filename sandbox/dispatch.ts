import type { IncomingMessage } from "node:http";
import type { CredentialScope } from "./identity";
import type { ServiceName } from "./protocol";
import { parseS3Path, resolveS3Operation, type S3Request } from "./services/s3-request";

const TARGET_PREFIXES: Record<string, ServiceName> = {
  "SWBExternalService.": "sso",
  "AWSIdentityStore.": "identitystore",
  "TrentService.": "kms",
};

const STS_ACTIONS = new Set([
  "AssumeRole",
  "AssumeRoleWithSAML",
  "AssumeRoleWithWebIdentity",
  "DecodeAuthorizationMessage",
  "GetAccessKeyInfo",
  "GetCallerIdentity",
  "GetFederationToken",
  "GetSessionToken",
]);

/** One AWS call, identified by service and operation, with its input in the service's protocol. */
export type IdentifiedCall =
  | { protocol: "json"; service: ServiceName | null; operation: string; target: string; body: Buffer }
  | { protocol: "query"; service: "iam" | "sts"; operation: string; params: URLSearchParams }
  | { protocol: "rest-xml"; service: "s3"; operation: string | null; request: S3Request };

function isForm(request: IncomingMessage): boolean {
  return String(request.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded");
}

/**
 * Tells the service and operation of a request: an X-Amz-Target header means
 * a JSON 1.1 service, a form with Action= means IAM or STS (by the credential
 * scope's service, else by the action name), and anything else is S3.
 */
export function identifyCall(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  scope: CredentialScope | null,
): IdentifiedCall {
  const target = request.headers["x-amz-target"];
  if (typeof target === "string") {
    const prefix = Object.keys(TARGET_PREFIXES).find((candidate) => target.startsWith(candidate));
    return {
      protocol: "json",
      service: prefix ? (TARGET_PREFIXES[prefix] ?? null) : null,
      operation: prefix ? target.slice(prefix.length) : target,
      target,
      body,
    };
  }

  const formParams = isForm(request) ? new URLSearchParams(body.toString("utf8")) : null;
  const action = formParams?.get("Action") ?? url.searchParams.get("Action");
  if (action) {
    const params = new URLSearchParams(url.searchParams);
    formParams?.forEach((value, name) => params.set(name, value));
    const service =
      scope?.service === "iam" || scope?.service === "sts" ? scope.service : STS_ACTIONS.has(action) ? "sts" : "iam";
    return { protocol: "query", service, operation: action, params };
  }

  const { bucket, key } = parseS3Path(url);
  const s3Request: S3Request = {
    method: request.method ?? "GET",
    bucket,
    key,
    query: url.searchParams,
    headers: request.headers,
    body,
  };
  return { protocol: "rest-xml", service: "s3", operation: resolveS3Operation(s3Request), request: s3Request };
}
