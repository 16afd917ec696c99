import {
  DescribePermissionSetProvisioningStatusCommand,
  ProvisionPermissionSetCommand,
} from "@aws-sdk/client-sso-admin";
import { callAws } from "./call";
import type { AwsContext } from "./context";
import { pollUntilSucceeded, type PollOptions } from "./poll";

/** Resolves poll options: explicit values win over the configuration. */
export function pollSettings(context: AwsContext, options: PollOptions = {}) {
  return {
    intervalMs: options.intervalMs ?? context.config.poll.intervalMs,
    maxIntervalMs: options.maxIntervalMs ?? context.config.poll.maxIntervalMs,
    timeoutMs: options.timeoutMs ?? context.config.poll.timeoutMs,
    signal: options.signal,
  };
}

/**
 * Provisions the permission set to an account (creating or updating its
 * AWSReservedSSO_ role there) and waits until Identity Center reports
 * SUCCEEDED. Returns the AWS request ID of the ProvisionPermissionSet call,
 * Identity Center's own request ID, and the statuses seen.
 */
export async function provisionPermissionSet(
  context: AwsContext,
  permissionSetArn: string,
  accountId: string,
  options: PollOptions = {},
): Promise<{ requestId: string; provisioningRequestId: string; statuses: string[] }> {
  const { instanceArn } = context.config.identityCenter;
  const settings = pollSettings(context, options);
  const callOptions = settings.signal ? { signal: settings.signal } : {};
  const { output, requestId } = await callAws(
    context,
    "sso-admin",
    "ProvisionPermissionSet",
    (sendOptions) =>
      context.consumer.ssoAdmin.send(
        new ProvisionPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
          TargetType: "AWS_ACCOUNT",
          TargetId: accountId,
        }),
        sendOptions,
      ),
    callOptions,
  );
  const first = output.PermissionSetProvisioningStatus;
  const provisioningRequestId = first?.RequestId ?? "";

  const statuses = await pollUntilSucceeded(
    { service: "sso-admin", operation: "ProvisionPermissionSet", requestId: provisioningRequestId },
    { status: first?.Status ?? "IN_PROGRESS", failureReason: first?.FailureReason },
    async (signal) => {
      const { output: status } = await callAws(
        context,
        "sso-admin",
        "DescribePermissionSetProvisioningStatus",
        (sendOptions) =>
          context.consumer.ssoAdmin.send(
            new DescribePermissionSetProvisioningStatusCommand({
              InstanceArn: instanceArn,
              ProvisionPermissionSetRequestId: provisioningRequestId,
            }),
            sendOptions,
          ),
        signal ? { signal } : {},
      );
      return {
        status: status.PermissionSetProvisioningStatus?.Status ?? "IN_PROGRESS",
        failureReason: status.PermissionSetProvisioningStatus?.FailureReason,
      };
    },
    settings,
  );
  return { requestId, provisioningRequestId, statuses };
}
