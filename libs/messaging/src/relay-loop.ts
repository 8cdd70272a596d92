// The loop a relay runs: a pass, then a wait that doubles while passes find nothing (an idle service should not
// scan its collections every second) and that a local write cuts short (nudge), so what this process writes is
// published at once and what another process wrote at the next poll. Used by the outbox relay and the audit relay.

/** The wait after `idlePolls` polls in a row found nothing: the poll interval, doubled per idle poll, capped. */
export function idlePollDelay(pollIntervalMs: number, idlePollMaxMs: number, idlePolls: number): number {
  const doubled = pollIntervalMs * 2 ** Math.min(Math.max(idlePolls - 1, 0), 30);
  return Math.max(pollIntervalMs, Math.min(doubled, idlePollMaxMs));
}

export interface RelayPassResult {
  published: number;
  /** More is probably waiting (a full batch was published): the next pass starts at once. */
  more: boolean;
}

export interface RelayLoopSettings {
  pollIntervalMs: number;
  idlePollMaxMs: number;
  /** The pause after a failed pass (Kafka or MongoDB away); a nudge does not cut it short. */
  errorBackoffMs: number;
}

export class RelayLoop {
  private running = false;
  private loopDone?: Promise<void>;
  private nudged = false;
  private wake?: () => void;

  constructor(
    private readonly pass: () => Promise<RelayPassResult>,
    private readonly settings: RelayLoopSettings,
    private readonly onError: (error: Error) => void,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Run a pass soon: called after a local write so it does not wait for the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** Ends the wait in progress and returns once the pass in flight, if any, is over. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    let idlePolls = 0;
    while (this.running) {
      this.nudged = false;
      let result: RelayPassResult;
      try {
        result = await this.pass();
      } catch (error) {
        this.onError(error as Error);
        await this.sleep(this.settings.errorBackoffMs, false);
        continue;
      }
      // A nudge during the pass means a write it may have missed.
      if ((result.more && result.published > 0) || this.nudged) {
        idlePolls = 0;
        continue;
      }
      idlePolls = result.published > 0 ? 0 : idlePolls + 1;
      await this.sleep(
        idlePollDelay(this.settings.pollIntervalMs, this.settings.idlePollMaxMs, idlePolls),
        true,
      );
    }
  }

  private sleep(ms: number, wakeOnNudge: boolean): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = () => (wakeOnNudge || !this.running ? done() : undefined);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = wake;
    });
  }
}
