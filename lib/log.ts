import pino from "pino";

/** The process-wide logger. Use `logger.child({ ... })` per request and per job. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.SERVICE_NAME ?? "access-portal" },
  redact: ["*.password", "*.secretAccessKey", "*.sessionToken", "*.SecretAccessKey", "*.SessionToken"],
});
