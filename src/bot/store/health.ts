/** What /healthz and /metrics read, and closing the store. */
export interface Health {
  /** True when the store answers (Redis PING), for /healthz. */
  ping(): Promise<boolean>;
  /** For metrics: how many transactions are scheduled (not final) and the sum of every known user's saldo. */
  stats(): Promise<{ pending: number; saldoTotal: number }>;
  close(): Promise<void>;
}
