import { ServiceError } from "./protocol";

/** Slices a list for List* calls. The token is the offset of the next page, base64url-encoded. */
export function paginate<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
  defaultPageSize = 100,
): { page: T[]; nextToken?: string } {
  let offset = 0;
  if (nextToken) {
    offset = Number(Buffer.from(nextToken, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0) {
      throw new ServiceError("ValidationException", `Invalid NextToken: ${nextToken}`);
    }
  }
  const size = maxResults ?? defaultPageSize;
  const page = items.slice(offset, offset + size);
  const next = offset + size < items.length ? Buffer.from(String(offset + size)).toString("base64url") : undefined;
  return next ? { page, nextToken: next } : { page };
}
