// Ports of the portal that the browser tests start; shared by the Playwright config and the tests.
export const WEB_PORT = Number(process.env.E2E_PORT ?? 3100);
export const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4610);
/** The tests reach the embedded database on this port to move a grant's end time. */
export const EMBEDDED_PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 5499);
