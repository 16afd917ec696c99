import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { CallContext, JsonHandler, SandboxSettings } from "./context";
import { identifyCall, type IdentifiedCall } from "./dispatch";
import type { FaultRegistry } from "./faults";
import { parseCredentialScope, resolvePrincipal } from "./identity";
import {
  ServiceError,
  newS3RequestId,
  sendError,
  sendJson,
  sendQuery,
  sendS3,
  type ResponseContext,
  type ServiceName,
} from "./protocol";
import type { StateStore } from "./state";
import { iamOperations, type QueryHandler } from "./services/iam";
import { identityStoreOperations } from "./services/identity-store";
import { kmsOperations } from "./services/kms";
import { s3Operations } from "./services/s3";
import { withInstanceAccess } from "./services/sso-access";
import { permissionSetOperations } from "./services/sso-admin";
import { assignmentOperations } from "./services/sso-assignments";
import { settleOperations } from "./services/sso-operations";
import { stsOperations } from "./services/sts";

export interface SandboxRuntime {
  store: StateStore;
  faults: FaultRegistry;
  settings: SandboxSettings;
  log: Logger;
}

const JSON_OPERATIONS: Partial<Record<ServiceName, Record<string, JsonHandler>>> = {
  kms: kmsOperations,
  sso: withInstanceAccess({ ...permissionSetOperations, ...assignmentOperations }),
  identitystore: identityStoreOperations,
};

const QUERY_OPERATIONS: Record<"iam" | "sts", Record<string, QueryHandler>> = {
  iam: iamOperations,
  sts: stsOperations,
};

function unknownOperation(call: IdentifiedCall): ServiceError {
  if (call.protocol === "json") {
    return new ServiceError("UnknownOperationException", `The sandbox does not implement the operation ${call.target}`);
  }
  if (call.protocol === "query") {
    return new ServiceError(
      "InvalidAction",
      `The action ${call.operation} is not valid for ${call.service.toUpperCase()} in the sandbox`,
      400,
    );
  }
  const { method, bucket, key, query } = call.request;
  const path = `/${bucket ?? ""}${key ? `/${key}` : ""}${query.size > 0 ? `?${query.toString()}` : ""}`;
  return new ServiceError("NotImplemented", `The sandbox does not implement ${method} ${path}`, 501);
}

async function dispatch(call: IdentifiedCall, context: CallContext, response: ResponseContext): Promise<void> {
  if (call.protocol === "json") {
    let input: unknown = {};
    if (call.body.length > 0) {
      try {
        input = JSON.parse(call.body.toString("utf8"));
      } catch {
        throw new ServiceError("SerializationException", "The request body is not valid JSON");
      }
    }
    const handler = call.service ? JSON_OPERATIONS[call.service]?.[call.operation] : undefined;
    if (!handler || !call.service) throw unknownOperation(call);
    sendJson(response, handler((input ?? {}) as Record<string, unknown>, context));
    return;
  }
  if (call.protocol === "query") {
    const handler = QUERY_OPERATIONS[call.service][call.operation];
    if (!handler) throw unknownOperation(call);
    sendQuery(response, call.service, call.operation, handler(call.params, context));
    return;
  }
  const handler = call.operation ? s3Operations[call.operation] : undefined;
  if (!handler) throw unknownOperation(call);
  sendS3(response, await handler(call.request, context));
}

/** Handles one AWS API request: identifies it, injects faults, authenticates, runs the operation and sends the response. */
export async function handleAwsRequest(
  request: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
  runtime: SandboxRuntime,
): Promise<void> {
  const started = Date.now();
  const scope = parseCredentialScope(request.headers, url);
  const call = identifyCall(request, url, body, scope);
  // A JSON call with an unknown X-Amz-Target prefix has no service; its error is formatted like KMS's.
  const service: ServiceName = call.service ?? "kms";
  const operation = call.operation ?? "unknown";
  const response: ResponseContext = { res, requestId: call.protocol === "rest-xml" ? newS3RequestId() : randomUUID() };
  const log = runtime.log.child({ requestId: response.requestId, service, operation });

  try {
    if (call.protocol === "json" && call.service === null) throw unknownOperation(call);
    if (!call.operation) throw unknownOperation(call);

    const fault = runtime.faults.take(service, operation);
    if (fault) {
      log.info({ faultId: fault.faultId, delayMs: fault.delayMs, code: fault.error?.code }, "injecting fault");
      if (fault.delayMs > 0) await sleep(fault.delayMs);
      if (fault.error) throw fault.error;
    }

    const now = new Date();
    if (settleOperations(runtime.store.state, now)) runtime.store.persist();
    const sessionToken = request.headers["x-amz-security-token"] ?? url.searchParams.get("X-Amz-Security-Token");
    const principal = resolvePrincipal(
      runtime.store.state,
      service,
      scope,
      typeof sessionToken === "string" ? sessionToken : undefined,
      now,
    );
    const context: CallContext = {
      requestId: response.requestId,
      principal,
      region: scope?.region ?? "us-east-1",
      store: runtime.store,
      now,
      settings: runtime.settings,
      log,
    };
    await dispatch(call, context, response);
  } catch (error) {
    if (error instanceof ServiceError) {
      if (error.code === "UnknownOperationException" || error.code === "InvalidAction" || error.code === "NotImplemented") {
        log.warn({ detail: error.message }, "unsupported AWS operation");
      }
      sendError(response, service, error, request.method ?? "GET");
    } else {
      log.error({ err: error }, "sandbox handler failed");
      const internal = new ServiceError("InternalError", "The sandbox failed to handle the request; see its log", 500);
      sendError(response, service, internal, request.method ?? "GET");
    }
  } finally {
    log.debug({ status: res.statusCode, durationMs: Date.now() - started }, "handled AWS call");
  }
}
