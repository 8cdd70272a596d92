// An SMS gateway reached over HTTP(S): POST SMS_GATEWAY_URL with JSON {to, text, reference} and a bearer token
// (SMS_GATEWAY_TOKEN); 2xx is taken, 4xx other than 408/429 is a refusal for good, anything else is retried.
import { Injectable } from '@nestjs/common';
import { config } from '../../config';
import { outcomeOfStatus } from '../webhooks/webhook.rules';
import { SmsRejectedError, type SmsAdapter, type SmsMessage, type SmsReceipt } from './sms.adapter';

/** The most of a gateway's reply read (its message id); the rest is ignored. */
const MAX_REPLY_BYTES = 64 * 1024;

@Injectable()
export class HttpSmsAdapter implements SmsAdapter {
  readonly name = 'http';

  async send(message: SmsMessage): Promise<SmsReceipt> {
    if (!config.SMS_GATEWAY_URL) throw new SmsRejectedError('SMS_GATEWAY_URL is not set');
    let response: Response;
    try {
      response = await fetch(config.SMS_GATEWAY_URL, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          authorization: `Bearer ${config.SMS_GATEWAY_TOKEN}`,
        },
        body: JSON.stringify({ to: message.to, text: message.text, reference: message.deliveryId }),
        redirect: 'manual',
        // The gateway is another outside system answering in webhook time.
        signal: AbortSignal.timeout(config.WEBHOOK_TIMEOUT_MS),
      });
    } catch (error) {
      // Never the phone: only what went wrong with the connection.
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new Error(`sms gateway unreachable: ${cause ?? (error as Error).name}`);
    }
    const reply = (await response.text().catch(() => '')).slice(0, MAX_REPLY_BYTES);
    const outcome = outcomeOfStatus(response.status);
    if (outcome === 'rejected') throw new SmsRejectedError(`sms gateway refused: HTTP ${response.status}`);
    if (outcome === 'retry') throw new Error(`sms gateway answered HTTP ${response.status}`);
    return { gatewayMessageId: messageIdOf(reply) };
  }
}

function messageIdOf(reply: string): string | undefined {
  try {
    const parsed = JSON.parse(reply) as { messageId?: unknown; id?: unknown };
    const id = parsed.messageId ?? parsed.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 128) : undefined;
  } catch {
    return undefined;
  }
}
