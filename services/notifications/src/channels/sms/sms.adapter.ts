// The seam between notifications and an SMS gateway (docs/sms-adapter.md): one method, one message. Which adapter
// runs is SMS_ADAPTER: `record` (default: keeps the message in the recorded-sms collection) or `http` (a gateway
// that takes JSON over HTTPS with a bearer token). A real operator's SDK plugs in as a third class.

/** One text to one phone. `to` is personal data: an adapter never logs it, nor puts it in an error message. */
export interface SmsMessage {
  /** The delivery id: the gateway's reference, and what makes a re-send recognisable as the same message. */
  deliveryId: string;
  to: string;
  text: string;
  /** The contact the phone belongs to, and the area of what the message is about (for records, never sent). */
  contactId: string;
  jurisdiction: string;
}

export interface SmsReceipt {
  /** The gateway's id of the message, when it gives one. */
  gatewayMessageId?: string;
}

export interface SmsAdapter {
  readonly name: string;
  /**
   * Hands the message to the gateway. Resolve once the gateway took it. Throw SmsRejectedError for an answer a
   * retry cannot change (a number the gateway refuses, bad credentials); any other error is retried with backoff.
   */
  send(message: SmsMessage): Promise<SmsReceipt>;
}

/** The injection token of the adapter chosen by SMS_ADAPTER. */
export const SMS_ADAPTER = Symbol('linli:notifications:sms-adapter');

/** The gateway refused the message for good: no retry (status failed, reason rejected). */
export class SmsRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmsRejectedError';
  }
}
