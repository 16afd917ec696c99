import { ListRolesCommand, type IAMClient } from "@aws-sdk/client-iam";
import { callAws, type CallOptions } from "./call";
import type { AwsContext } from "./context";

/** Path under which Identity Center creates the roles of provisioned permission sets. */
const RESERVED_SSO_PATH = "/aws-reserved/sso.amazonaws.com/";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function iamClientFor(context: AwsContext, accountId: string): IAMClient {
  if (accountId === context.owner.accountId) return context.owner.iam;
  if (accountId === context.consumer.accountId) return context.consumer.iam;
  throw new Error(
    `Account ${accountId} is not configured; expected the owner (${context.owner.accountId}) or consumer (${context.consumer.accountId}) account`,
  );
}

/**
 * Returns the ARNs of the roles that Identity Center created for a
 * permission set in an account: `AWSReservedSSO_<name>_<16 hex>` under the
 * reserved path. The exact pattern keeps "Name_Admin" apart from "Name".
 */
export async function findPermissionSetRoles(
  context: AwsContext,
  accountId: string,
  permissionSetName: string,
  options?: CallOptions,
): Promise<string[]> {
  const iam = iamClientFor(context, accountId);
  const pattern = new RegExp(`^AWSReservedSSO_${escapeRegExp(permissionSetName)}_[0-9a-f]{16}$`);
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const currentMarker = marker;
    const { output } = await callAws(
      context,
      "iam",
      "ListRoles",
      (sendOptions) =>
        iam.send(new ListRolesCommand({ PathPrefix: RESERVED_SSO_PATH, Marker: currentMarker }), sendOptions),
      options,
    );
    for (const role of output.Roles ?? []) {
      if (role.RoleName && role.Arn && pattern.test(role.RoleName)) arns.push(role.Arn);
    }
    marker = output.IsTruncated ? output.Marker : undefined;
  } while (marker);
  return arns;
}
