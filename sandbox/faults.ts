import { z } from "zod";
import { ServiceError, type ServiceName } from "./protocol";

const SERVICES = ["s3", "kms", "sso", "identitystore", "iam", "sts"] as const satisfies readonly ServiceName[];

export const faultSchema = z.object({
  service: z.enum(SERVICES),
  /** Operation name as AWS spells it (PutBucketPolicy); absent means every operation of the service. */
  operation: z.string().min(1).optional(),
  error: z
    .object({
      status: z.number().int().min(400).max(599),
      code: z.string().min(1),
      message: z.string().optional(),
    })
    .nullable()
    .default(null),
  delayMs: z.number().int().min(0).max(60_000).default(0),
  /** How many matching calls the fault applies to before it is removed. */
  count: z.number().int().min(1).max(1_000_000).default(1),
});

export type FaultInput = z.input<typeof faultSchema>;

export interface Fault extends z.output<typeof faultSchema> {
  id: number;
}

export interface FaultOutcome {
  delayMs: number;
  error: ServiceError | null;
  faultId: number;
}

/** Injected failures and delays, kept in memory only: a restart or a reset clears them. */
export class FaultRegistry {
  private faults: Fault[] = [];
  private nextId = 1;

  add(input: z.output<typeof faultSchema>): Fault {
    const fault = { ...input, id: this.nextId++ };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes one use of the first fault matching the call, if any. */
  take(service: ServiceName, operation: string): FaultOutcome | null {
    const fault = this.faults.find(
      (candidate) =>
        candidate.service === service && (candidate.operation === undefined || candidate.operation === operation),
    );
    if (!fault) return null;
    fault.count -= 1;
    if (fault.count <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    const error = fault.error
      ? new ServiceError(
          fault.error.code,
          fault.error.message ?? `Fault injected by the sandbox into ${service} ${operation}`,
          fault.error.status,
        )
      : null;
    return { delayMs: fault.delayMs, error, faultId: fault.id };
  }
}
