import { afterEach, describe, expect, it, vi } from "vitest";

const originalSandbox = process.env.SANDBOX;

afterEach(() => {
  process.env.SANDBOX = originalSandbox;
  vi.resetModules();
});

type ConfiguredProvider = { id: string; options?: { id?: string; authorize?: (input: unknown) => Promise<unknown> } };

/** Returns a provider's id as NextAuth will register it: a provider's own options override its default id. */
function idOf(provider: ConfiguredProvider): string {
  return provider.options?.id ?? provider.id;
}

async function providerIds(sandbox: string | undefined): Promise<string[]> {
  if (sandbox === undefined) delete process.env.SANDBOX;
  else process.env.SANDBOX = sandbox;
  vi.resetModules();
  const { authConfig } = await import("@/auth");
  return (authConfig.providers as ConfiguredProvider[]).map(idOf);
}

describe("sign-in providers", () => {
  it("offer the person picker in sandbox mode", async () => {
    expect(await providerIds("1")).toContain("sandbox");
  });

  it("omit the person picker outside sandbox mode", async () => {
    expect(await providerIds(undefined)).not.toContain("sandbox");
    expect(await providerIds("0")).not.toContain("sandbox");
    expect(await providerIds("true")).not.toContain("sandbox");
  });

  it("reject the person picker when sandbox mode is switched off", async () => {
    process.env.SANDBOX = "1";
    vi.resetModules();
    const { authConfig } = await import("@/auth");
    const sandbox = (authConfig.providers as ConfiguredProvider[]).find((provider) => idOf(provider) === "sandbox");
    const authorize = sandbox?.options?.authorize;
    expect(authorize).toBeDefined();
    process.env.SANDBOX = "0";
    expect(await authorize?.({ email: "admin@efs.example" })).toBeNull();
  });
});
