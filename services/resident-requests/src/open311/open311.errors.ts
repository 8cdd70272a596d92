// The specification's error array ("Errors"): HTTP 404 for what does not exist, 403 for a missing or wrong
// api_key, 400 for any other request that cannot be fulfilled; the body lists one {code, description} per fault.
export type Open311ErrorStatus = 400 | 403 | 404;

export interface Open311ErrorItem {
  /** "In most cases, this should match the HTTP status code": it does here, always. */
  code: number;
  /** Meant to be seen by the user: names the parameter at fault, never echoes its value. */
  description: string;
}

export class Open311Error extends Error {
  readonly errors: readonly Open311ErrorItem[];

  constructor(
    readonly status: Open311ErrorStatus,
    descriptions: readonly string[],
  ) {
    super(descriptions.join('; '));
    this.name = 'Open311Error';
    this.errors = descriptions.map((description) => ({ code: status, description }));
  }

  static badRequest(...descriptions: string[]): Open311Error {
    return new Open311Error(400, descriptions);
  }

  static forbidden(description: string): Open311Error {
    return new Open311Error(403, [description]);
  }

  static notFound(description: string): Open311Error {
    return new Open311Error(404, [description]);
  }
}

/** Collects every fault of a request before answering, so a client learns all of them in one round trip. */
export class Open311Faults {
  private readonly descriptions: string[] = [];

  add(description: string): void {
    this.descriptions.push(description);
  }

  get empty(): boolean {
    return this.descriptions.length === 0;
  }

  /** Throws a 400 listing every fault, when there is any. */
  throwIfAny(): void {
    if (!this.empty) throw Open311Error.badRequest(...this.descriptions);
  }
}
