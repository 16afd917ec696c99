import type { ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { XML_DECLARATION, leaf, node } from "./xml";

export type ServiceName = "s3" | "kms" | "sso" | "identitystore" | "iam" | "sts";

export type Protocol = "json" | "query" | "rest-xml";

export const PROTOCOL_OF: Record<ServiceName, Protocol> = {
  s3: "rest-xml",
  kms: "json",
  sso: "json",
  identitystore: "json",
  iam: "query",
  sts: "query",
};

const QUERY_NAMESPACES: Record<"iam" | "sts", string> = {
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
  sts: "https://sts.amazonaws.com/doc/2011-06-15/",
};

/** An AWS error: its code becomes the SDK exception name, so it must be the code AWS uses. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra members of the error body, such as S3's BucketName or Identity Store's ResourceType. */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export interface ResponseContext {
  res: ServerResponse;
  requestId: string;
}

function send(
  { res, requestId }: ResponseContext,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
): void {
  res.writeHead(status, {
    "x-amzn-RequestId": requestId,
    "x-amz-request-id": requestId,
    "content-length": String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

export function sendJson(context: ResponseContext, body: unknown): void {
  send(context, 200, { "content-type": "application/x-amz-json-1.1" }, JSON.stringify(body ?? {}));
}

export function sendJsonError(context: ResponseContext, service: ServiceName, error: ServiceError): void {
  // KMS models the message member as `message`, SSO Admin and Identity Store as `Message`.
  const messageKey = service === "kms" ? "message" : "Message";
  const body = { __type: error.code, [messageKey]: error.message, ...error.extra };
  send(
    context,
    error.status,
    { "content-type": "application/x-amz-json-1.1", "x-amzn-ErrorType": error.code },
    JSON.stringify(body),
  );
}

export function sendQuery(context: ResponseContext, service: "iam" | "sts", action: string, result: string): void {
  const body =
    XML_DECLARATION +
    `<${action}Response xmlns="${QUERY_NAMESPACES[service]}">` +
    node(`${action}Result`, result) +
    node("ResponseMetadata", leaf("RequestId", context.requestId)) +
    `</${action}Response>`;
  send(context, 200, { "content-type": "text/xml" }, body);
}

export function sendQueryError(context: ResponseContext, service: "iam" | "sts", error: ServiceError): void {
  const type = error.status >= 500 ? "Receiver" : "Sender";
  const body =
    XML_DECLARATION +
    `<ErrorResponse xmlns="${QUERY_NAMESPACES[service]}">` +
    node("Error", leaf("Type", type), leaf("Code", error.code), leaf("Message", error.message)) +
    leaf("RequestId", context.requestId) +
    `</ErrorResponse>`;
  send(context, error.status, { "content-type": "text/xml" }, body);
}

export interface S3Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

export function sendS3(context: ResponseContext, reply: S3Reply): void {
  send(
    context,
    reply.status ?? 200,
    { "x-amz-id-2": hostId(), ...(reply.headers ?? {}) },
    reply.body ?? "",
  );
}

export function sendS3Error(context: ResponseContext, error: ServiceError, method: string): void {
  const extra = Object.entries(error.extra).map(([name, value]) => leaf(name, value));
  const id2 = hostId();
  const body =
    XML_DECLARATION +
    node(
      "Error",
      leaf("Code", error.code),
      leaf("Message", error.message),
      ...extra,
      leaf("RequestId", context.requestId),
      leaf("HostId", id2),
    );
  // HEAD responses carry no body, so the SDK reads the status code alone.
  const headers = { "content-type": "application/xml", "x-amz-id-2": id2 };
  if (method === "HEAD") {
    context.res.writeHead(error.status, { "x-amz-request-id": context.requestId, ...headers });
    context.res.end();
    return;
  }
  send(context, error.status, headers, body);
}

export function sendError(context: ResponseContext, service: ServiceName, error: ServiceError, method: string): void {
  const protocol = PROTOCOL_OF[service];
  if (protocol === "json") sendJsonError(context, service, error);
  else if (protocol === "query") sendQueryError(context, service as "iam" | "sts", error);
  else sendS3Error(context, error, method);
}

function hostId(): string {
  return randomBytes(24).toString("base64");
}

/** S3 request IDs are 16 upper-case hex characters; the JSON and Query services use UUIDs. */
export function newS3RequestId(): string {
  return randomBytes(8).toString("hex").toUpperCase();
}
