// Thrown by a scenario's setup when it cannot run yet (server not built, hook
// not wired). The harness reports "skipped: <reason>" instead of failing, so
// floors and other scenarios still produce numbers.
export class SkipError extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'SkipError';
  }
}
