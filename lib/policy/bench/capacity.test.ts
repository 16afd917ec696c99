import { describe, expect, it } from "vitest";
import { planPolicies, PolicyValidationError } from "@/lib/policy";
import { capacityInput, measureCase, type CapacityCase } from "./capacity";

// docs/policy.md records these numbers; update it when they change.
describe("bucket capacity", () => {
  const readWrite: CapacityCase = { levels: "read-write", prefixLength: 16, consumers: 1 };
  const read: CapacityCase = { levels: "read", prefixLength: 16, consumers: 1 };

  it("measures the documented bytes per dataset", () => {
    expect(measureCase(readWrite)).toMatchObject({ bucketBytesPerDataset: 1091, keyBytesPerDataset: 525, maxDatasets: 17 });
    expect(measureCase(read)).toMatchObject({ bucketBytesPerDataset: 863, keyBytesPerDataset: 494, maxDatasets: 23 });
  });

  it("accepts the maximum and rejects one dataset more", () => {
    expect(planPolicies(capacityInput(17, readWrite)).sizes.bucketPolicy?.bytes).toBeLessThanOrEqual(20_480);
    let rejection: unknown;
    try {
      planPolicies(capacityInput(18, readWrite));
    } catch (error) {
      rejection = error;
    }
    expect(rejection).toBeInstanceOf(PolicyValidationError);
    expect((rejection as PolicyValidationError).field).toBe("bucket.policy");
    expect((rejection as PolicyValidationError).message).toMatch(/would be [\d,]+ bytes, over its limit of 20,480 bytes/);
  });

  it("adds no bytes for more people", () => {
    const onePerson = planPolicies(capacityInput(3, readWrite, 1));
    const thousandPeople = planPolicies(capacityInput(3, readWrite, 1000));
    expect(thousandPeople.sizes).toEqual(onePerson.sizes);
    expect(JSON.stringify(thousandPeople.bucketPolicy)).toBe(JSON.stringify(onePerson.bucketPolicy));
  });
});
