/** A signed statement and the times it covers. */
export interface SignedStatement {
  jwt: string;
  iat: number;
  exp: number;
  /** Sign anew from then on, if earlier than half its life (e.g. a trust mark it carries expires). */
  renewAt?: number;
}

/**
 * Keeps one signed statement and hands it out until half its life has passed; then the next caller
 * gets a freshly signed one (one signing in flight, however many requests arrive). Signing per
 * request would let anyone make the provider spend an RSA signature per GET; never re-signing would
 * let relying parties cache a statement close to its `exp`. `invalidate` forces the next one to be
 * signed anew (its content changed: a trust mark arrived or expired).
 */
export class HalfLifeStatement {
  #current: SignedStatement | undefined;
  #signing: Promise<SignedStatement> | undefined;

  constructor(
    private readonly sign: (now: number) => Promise<SignedStatement>,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async current(): Promise<SignedStatement> {
    const now = this.now();
    const current = this.#current;
    if (current && now < Math.min(current.iat + (current.exp - current.iat) / 2, current.renewAt ?? Infinity)) return current;
    this.#signing ??= this.sign(now).then(
      (signed) => {
        this.#current = signed;
        this.#signing = undefined;
        return signed;
      },
      (error: unknown) => {
        this.#signing = undefined;
        throw error;
      },
    );
    return this.#signing;
  }

  invalidate(): void {
    this.#current = undefined;
  }
}
