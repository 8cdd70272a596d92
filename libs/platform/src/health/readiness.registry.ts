// Readiness is the sum of what every module depends on: each registers a check here (Kafka producer and
// consumers from messaging, MongoDB from persistence, Redis from scheduling) and /health/ready runs them all.
import { Injectable } from '@nestjs/common';

export interface ReadinessCheck {
  /** Shown in the /health/ready body, e.g. `kafka`, `mongodb`, `redis`, `consumer:linli.dispatch.job.v1`. */
  name: string;
  /** Resolves when healthy; throws (or rejects) with the reason when not. */
  check(): Promise<void> | void;
}

@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  list(): ReadinessCheck[] {
    return [...this.checks.values()];
  }
}
