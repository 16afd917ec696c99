import { z } from "zod";
import type { CallContext, JsonHandler } from "../context";
import { ServiceError } from "../protocol";
import type { IdentityCenterRecord, PermissionSetRecord } from "../state";

/**
 * Wraps SSO Admin handlers so that only principals of the Identity Center
 * instance's account may call them, and the request's InstanceArn must name
 * that instance.
 */
export function withInstanceAccess(handlers: Record<string, JsonHandler>): Record<string, JsonHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([operation, handler]) => [
      operation,
      (input: Record<string, unknown>, context: CallContext) => {
        const center = context.store.state.identityCenter;
        if (context.principal.accountId !== center.accountId) {
          throw new ServiceError(
            "AccessDeniedException",
            `User: ${context.principal.arn} is not authorized to perform: sso:${operation} on resource: ${center.instanceArn}`,
          );
        }
        if (input.InstanceArn !== undefined && input.InstanceArn !== center.instanceArn) {
          throw new ServiceError("ResourceNotFoundException", `Instance ${String(input.InstanceArn)} does not exist`);
        }
        return handler(input, context);
      },
    ]),
  );
}

export const instanceArnSchema = z.string().min(10).max(1224);
export const permissionSetArnSchema = z.string().min(10).max(1224);
export const accountIdSchema = z.string().regex(/^\d{12}$/, "must be a 12-digit account ID");

export function findPermissionSet(center: IdentityCenterRecord, arn: string): PermissionSetRecord {
  const permissionSet = center.permissionSets[arn];
  if (!permissionSet) {
    throw new ServiceError("ResourceNotFoundException", `Could not find PermissionSet with id ${arn}`);
  }
  return permissionSet;
}
