import type { ServerResponse } from "node:http";
import { faultSchema } from "./faults";
import type { SandboxRuntime } from "./router";

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

/**
 * Handles the sandbox's own API under /_sandbox/, which is not AWS: health,
 * state dump, reset to the seed, and fault injection.
 */
export function handleControlRequest(
  method: string,
  path: string,
  body: Buffer,
  res: ServerResponse,
  runtime: SandboxRuntime,
): void {
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  switch (route) {
    case "GET /_sandbox/health":
      sendJson(res, 200, { status: "ok" });
      return;
    case "GET /_sandbox/state":
      sendJson(res, 200, runtime.store.state);
      return;
    case "POST /_sandbox/reset":
      runtime.store.reset();
      runtime.faults.clear();
      runtime.log.info("state reset to the seed scenario");
      sendJson(res, 200, { status: "reset" });
      return;
    case "GET /_sandbox/faults":
      sendJson(res, 200, { faults: runtime.faults.list() });
      return;
    case "DELETE /_sandbox/faults":
      runtime.faults.clear();
      sendJson(res, 200, { faults: [] });
      return;
    case "POST /_sandbox/faults": {
      let input: unknown;
      try {
        input = JSON.parse(body.toString("utf8"));
      } catch {
        sendJson(res, 400, { error: "The request body is not valid JSON" });
        return;
      }
      const parsed = faultSchema.safeParse(input);
      if (!parsed.success) {
        sendJson(res, 400, { error: "Invalid fault", issues: parsed.error.issues });
        return;
      }
      const fault = runtime.faults.add(parsed.data);
      runtime.log.info({ fault }, "fault registered");
      sendJson(res, 201, { fault });
      return;
    }
    default:
      sendJson(res, 404, {
        error: `Unknown sandbox route ${route}`,
        routes: [
          "GET /_sandbox/health",
          "GET /_sandbox/state",
          "POST /_sandbox/reset",
          "GET /_sandbox/faults",
          "POST /_sandbox/faults",
          "DELETE /_sandbox/faults",
        ],
      });
  }
}
