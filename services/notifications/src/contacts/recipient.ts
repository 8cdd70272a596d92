// Who a signed-in user is as a recipient: a provider user is told as its provider (offers go to the provider id),
// everyone else as themselves.
import type { Actor } from '@linli/auth';

export function recipientIdOf(actor: Actor): string {
  return actor.providerId ?? actor.userId;
}
