import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import pino, { type Logger } from "pino";
import { handleControlRequest } from "./control";
import { FaultRegistry } from "./faults";
import { handleAwsRequest, type SandboxRuntime } from "./router";
import { createSeedState } from "./seed";
import { StateStore } from "./state";

export interface SandboxOptions {
  /** TCP port; 0 picks a free one. Default: SANDBOX_PORT, else 4566. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: SANDBOX_STATE_FILE, else .data/sandbox-state.json. */
  stateFile?: string;
  /** Start from the seed and overwrite the state file. */
  fresh?: boolean;
  /** How long Identity Center requests stay IN_PROGRESS. Default: SANDBOX_ASYNC_DELAY_MS, else 300 ms. */
  asyncDelayMs?: number;
  logger?: Logger;
}

export interface RunningSandbox {
  url: string;
  port: number;
  stateFile: string;
  close(): Promise<void>;
  reset(): Promise<void>;
}

/** Largest request body the sandbox reads, in bytes. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`Request body exceeds ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolveBody(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function numberFromEnv(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === "") return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

/** Starts the AWS emulator over HTTP and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const log = options.logger ?? pino({ name: "sandbox", level: process.env.SANDBOX_LOG_LEVEL ?? "warn" });
  const stateFile = resolve(options.stateFile ?? process.env.SANDBOX_STATE_FILE ?? ".data/sandbox-state.json");
  const runtime: SandboxRuntime = {
    store: new StateStore(stateFile, createSeedState, options.fresh ?? false),
    faults: new FaultRegistry(),
    settings: { asyncDelayMs: options.asyncDelayMs ?? numberFromEnv("SANDBOX_ASYNC_DELAY_MS") ?? 300 },
    log,
  };

  const server = createServer((request, res) => {
    const url = new URL(request.url ?? "/", "http://sandbox.local");
    readBody(request)
      .then((body) => {
        if (url.pathname.startsWith("/_sandbox/")) {
          handleControlRequest(request.method ?? "GET", url.pathname, body, res, runtime);
          return;
        }
        return handleAwsRequest(request, res, url, body, runtime);
      })
      .catch((error: unknown) => {
        log.error({ err: error, url: request.url }, "request failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("The sandbox failed to handle the request");
      });
  });

  const host = options.host ?? "127.0.0.1";
  const requestedPort = options.port ?? numberFromEnv("SANDBOX_PORT") ?? 4566;
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(requestedPort, host, () => {
      server.off("error", reject);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  log.info({ url, stateFile, asyncDelayMs: runtime.settings.asyncDelayMs }, "sandbox listening");

  return {
    url,
    port,
    stateFile,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.close((error) => (error ? reject(error) : resolveClose()));
        // SDK clients keep connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
    reset: async () => {
      runtime.store.reset();
      runtime.faults.clear();
    },
  };
}
