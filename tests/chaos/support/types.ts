export type ServiceName =
  | 'gateway'
  | 'resident-requests'
  | 'dispatch'
  | 'elder-care'
  | 'mediation'
  | 'emergency'
  | 'notifications'
  | 'insights';
export interface ChaosPlatform {
  gatewayUrl: string; // every user action goes through the gateway, as users do
  serviceUrls: Record<ServiceName, string[]>; // direct instance URLs, for the checker's reads only
  env: Record<string, string>; // MONGO_URL, KAFKA_BROKERS, REDIS_URL, LINLI_NAMESPACE (if any), BOOTSTRAP_ADMIN_PASSWORD, ...
  adminPassword: string; // the gateway's bootstrap admin (username 'admin')
  database(service: ServiceName): Promise<import('mongodb').Db>; // that service's own database (checker reads)
  log(message: string): void;
}
export interface DayPlan {
  seed: number;
  durationMs: number;
  intensity: number /* 1 = moderate */;
}
export interface Finding {
  id: string;
  what: string;
}
export interface PartCheck {
  part: string; // 'tickets' | 'visits' | 'cases' | 'alerts'
  expected: number; // entities the load intended
  final: number; // reached the correct final state exactly once
  lost: Finding[]; // intended but missing, or stuck short of its final state
  duplicated: Finding[]; // a duplicated effect: two tickets for one intent, two jobs for one ticket, two
  // acknowledgements/notifications for one recipient, a visit done twice, ...
  notes: string[];
}
export interface LoadPart {
  name: string;
  /** Extra service env the part needs (short timers so the day's flows finish within the run). */
  env: Record<string, string>;
  /** Users, providers, elders, mediators... through the gateway; idempotent. */
  prepare(platform: ChaosPlatform, plan: DayPlan): Promise<void>;
  /** Plays the day: creates the work at the plan's pace and acts as the users (accept, start, complete, ...),
   *  retrying through failures as a careful client would (same Idempotency-Key, backoff, bounded). Stops creating
   *  new work when `signal` aborts, but keeps working what exists until `finish` is called. */
  play(platform: ChaosPlatform, plan: DayPlan, signal: AbortSignal): Promise<void>;
  /** After the faults are over: drive everything still open to its final state, within timeoutMs. */
  finish(platform: ChaosPlatform, timeoutMs: number): Promise<void>;
  /** Proves each intended entity reached its correct final state exactly once, from the services' APIs and DBs. */
  check(platform: ChaosPlatform): Promise<PartCheck>;
  /** A cheap end-to-end probe for "recovered": one new entity of this part reaches its first downstream effect. */
  probe(platform: ChaosPlatform): Promise<void>;
}
