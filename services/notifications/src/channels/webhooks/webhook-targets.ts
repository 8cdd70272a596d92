// The SSRF guard wired to the deployment: the system resolver (every address of a host) and
// WEBHOOK_ALLOWED_PRIVATE_TARGETS, read once at start-up (a bad entry stops it).
import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { config } from '../../config';
import {
  checkWebhookTarget,
  parseAllowedPrivateTargets,
  type AllowedPrivateTargets,
  type CheckedTarget,
  type ResolvedAddress,
} from './webhook-target.rules';

@Injectable()
export class WebhookTargets {
  private readonly allowed: AllowedPrivateTargets = parseAllowedPrivateTargets(
    config.WEBHOOK_ALLOWED_PRIVATE_TARGETS,
  );

  /** Throws WebhookTargetError when the URL may not be called (invalid, unresolvable, refused). */
  check(url: string): Promise<CheckedTarget> {
    return checkWebhookTarget(url, resolveAll, this.allowed);
  }
}

async function resolveAll(hostname: string): Promise<ResolvedAddress[]> {
  const addresses = await lookup(hostname, { all: true, verbatim: true });
  return addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}
