import { GetUserIdCommand } from "@aws-sdk/client-identitystore";
import { callAws, type CallOptions } from "./call";
import type { AwsContext } from "./context";

/**
 * Returns the Identity Store user ID of a user name. Throws AwsCallError
 * with code ResourceNotFoundException when no user has that name.
 */
export async function findUserId(context: AwsContext, userName: string, options?: CallOptions): Promise<string> {
  const { identityStoreId } = context.config.identityCenter;
  const { output } = await callAws(
    context,
    "identitystore",
    "GetUserId",
    (sendOptions) =>
      context.consumer.identityStore.send(
        new GetUserIdCommand({
          IdentityStoreId: identityStoreId,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: "userName", AttributeValue: userName } },
        }),
        sendOptions,
      ),
    options,
  );
  if (!output.UserId) throw new Error(`Identity Store returned no user ID for ${userName}`);
  return output.UserId;
}
