// What a sender throws after recording a try that a later one may mend: libs/scheduling then retries the job with
// exponential backoff. Its message is what the scheduling record keeps, so it never carries personal data.
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLaterError';
  }
}
