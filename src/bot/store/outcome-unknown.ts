/**
 * What a store step throws when its connection was lost after the step was sent and before it was answered:
 * the step may have happened or not. The store never sends it again by itself (a credit would be made twice):
 * the ledger's operations are sent again by withRetries (src/payments/retry.ts), each under its operation id,
 * so a repeat changes nothing; for any other step the user is told to look before doing it again.
 */
export class StoreOutcomeUnknown extends Error {
  override readonly name = 'StoreOutcomeUnknown';
  constructor(message = 'the store connection closed before the store answered: the step may or may not have happened') {
    super(message);
  }
}
