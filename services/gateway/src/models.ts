// The names of the gateway's mongoose models, here only: the relay publishes the outboxes of OUTBOX_MODELS.
/** Users: credentials, roles, jurisdiction, lockout (users/). */
export const USER_MODEL = 'GatewayUser';
/** Sign-in sessions and their refresh-token family (sessions/). */
export const SESSION_MODEL = 'GatewaySession';
// The hash-chained audit log has no mongoose model: audit/audit-log.collections.ts names its raw collections.

/** Each piece adds its aggregate's model here when it registers it (an unregistered name stops start-up). */
export const OUTBOX_MODELS: readonly string[] = [];
