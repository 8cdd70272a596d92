// The instances of one service behind the edge, when its <NAME>_URL lists several (`npm start` with LINLI_SCALE;
// in Kubernetes the variable holds the one Service URL and the cluster balances). Requests take the instances in
// turn; one that refused a connection is passed over for DOWN_MS (passive health: nothing probes it, the first
// request after that tries it again). Which failures may be tried on another instance is `mayTryAnother`.

/** How long an instance that refused a connection is passed over. */
export const DOWN_MS = 5_000;

/** Failures where the request never reached the service: nobody listening, no such host, no connection in time. */
const NOT_REACHED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The error codes of a failed call: its own and its cause's (reply-from wraps undici's error). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current && depth < 3; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** Nothing of the request reached the service: trying another instance cannot apply it twice. */
export function notReached(error: unknown): boolean {
  return errorCodes(error).some((code) => NOT_REACHED.has(code));
}

/**
 * A failed call may be sent to another instance when nothing reached the service, or when it only reads (GET,
 * HEAD). A command that reached an instance is never sent again: the instance may have applied it before failing.
 */
export function mayTryAnother(method: string, error: unknown): boolean {
  return notReached(error) || method === 'GET' || method === 'HEAD';
}

export class UpstreamPool {
  private turn = 0;
  private readonly downUntil = new Map<string, number>();

  constructor(
    readonly bases: readonly string[],
    private readonly now: () => number = Date.now,
  ) {
    if (bases.length === 0) throw new Error('an upstream pool needs at least one instance');
  }

  /**
   * The instance for the next attempt of a request: the next in turn that this request has not tried, passing over
   * those marked down; when every untried one is marked down, the next of them anyway (a mark may be stale, and the
   * edge answers 503 only after a real refusal). Undefined once the request has tried every instance.
   */
  pick(tried: ReadonlySet<string> = new Set()): string | undefined {
    const now = this.now();
    let fallback: number | undefined;
    for (let step = 0; step < this.bases.length; step++) {
      const index = (this.turn + step) % this.bases.length;
      const base = this.bases[index] as string;
      if (tried.has(base)) continue;
      if ((this.downUntil.get(base) ?? 0) <= now) {
        this.turn = index + 1;
        return base;
      }
      fallback ??= index;
    }
    if (fallback === undefined) return undefined;
    this.turn = fallback + 1;
    return this.bases[fallback];
  }

  markDown(base: string): void {
    this.downUntil.set(base, this.now() + DOWN_MS);
  }
}
