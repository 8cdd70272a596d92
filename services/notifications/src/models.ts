// The names of notifications' mongoose models, here only: the relay publishes the outboxes of OUTBOX_MODELS.
export const CONTACT_MODEL = 'NotificationContact';
export const DELIVERY_MODEL = 'NotificationDelivery';
/** One per broadcast message (an alert's message): its progress, its recipient count (deliveries/). */
export const BROADCAST_MODEL = 'NotificationBroadcast';
/** One per batch of recipients of a broadcast, carrying its broadcast.recipients-resolved event (deliveries/). */
export const BROADCAST_BATCH_MODEL = 'NotificationBroadcastBatch';
/** Webhook endpoints registered by organisations' systems (channels/). */
export const WEBHOOK_MODEL = 'NotificationWebhook';
/** What the default SMS adapter recorded instead of sending (channels/). */
export const RECORDED_SMS_MODEL = 'NotificationRecordedSms';

/** Each piece adds its aggregate's model here when it registers it (an unregistered name stops start-up). */
export const OUTBOX_MODELS: readonly string[] = [DELIVERY_MODEL, BROADCAST_MODEL, BROADCAST_BATCH_MODEL];
/** The daily counter of residents' subscription ids `S<yyyymmdd>-<6 digits>` (contacts/). */
export const SUBSCRIPTION_SEQUENCE_MODEL = 'NotificationSubscriptionSequence';
