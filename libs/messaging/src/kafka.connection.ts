// The service's kafkajs client: brokers from KAFKA_BROKERS, a client id per service, logs through Nest's Logger.
import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';

export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';
/** kafkajs' default (1 s) is short for a broker busy creating topics at start-up. */
export const DEFAULT_KAFKA_CONNECTION_TIMEOUT_MS = 5_000;

export interface KafkaConnectionOptions {
  /** The service name: becomes the client id, so broker logs and quotas tell services apart. */
  service: string;
  /** Default: env KAFKA_BROKERS (comma-separated), else 127.0.0.1:9092. */
  brokers?: string[];
  connectionTimeoutMs?: number;
  /** kafkajs log level; default WARN (its INFO is one line per group join and producer connect). */
  logLevel?: logLevel;
}

export function kafkaBrokersFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.KAFKA_BROKERS ?? DEFAULT_KAFKA_BROKERS)
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

export function createKafka(options: KafkaConnectionOptions): Kafka {
  return new Kafka({
    clientId: `linli-${options.service}`,
    brokers: options.brokers ?? kafkaBrokersFromEnv(),
    connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_KAFKA_CONNECTION_TIMEOUT_MS,
    logLevel: options.logLevel ?? logLevel.WARN,
    logCreator: nestLogCreator,
  });
}

/** kafkajs writes to the console by default; this sends its entries to the structured log instead. */
const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ namespace, level, log }: LogEntry) => {
    const { message, ...extra } = log;
    const line = { msg: message, namespace, ...extra };
    if (level === logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
    else if (level === logLevel.INFO) logger.log(line);
    else logger.debug(line);
  };
};
