/** True when the portal runs against the local sandbox AWS with its sign-in by person picker. */
export function isSandboxMode(): boolean {
  return process.env.SANDBOX === "1";
}
