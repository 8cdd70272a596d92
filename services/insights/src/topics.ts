// The topics insights reads and its consumer group, in one place: the service subscribes to them and the rebuild
// (scripts/rebuild.ts) resets the group's offsets on exactly these. Renaming the group re-reads every retained event.
import {
  alertTopic,
  broadcastTopic,
  caseTopic,
  elderTopic,
  jobTopic,
  ticketTopic,
  visitTopic,
  type TopicDefinition,
} from '@linli/contracts';

export const SERVICE = 'insights';

/** Its database (in the deployment's namespace when it has one): MONGO_DB's default. */
export const INSIGHTS_DATABASE = 'linli-insights';

/**
 * Every stream an indicator is computed from: tickets and their call-backs, dispatch's jobs, elders and their
 * visits, mediation cases, alerts and their acknowledgements, and notifications' broadcast batches (who an alert
 * reached).
 */
export const INSIGHTS_TOPICS: readonly TopicDefinition[] = [
  ticketTopic,
  jobTopic,
  elderTopic,
  visitTopic,
  caseTopic,
  alertTopic,
  broadcastTopic,
];

/**
 * `linli.insights`: MessagingModule's default group of the service (defaultConsumerGroup; topics.spec.ts holds them
 * equal), in the deployment's namespace when it has one. Written out rather than imported so the rebuild script
 * starts without loading Nest and the messaging library.
 */
export const INSIGHTS_CONSUMER_GROUP = `linli.${SERVICE}`;
