import { checkCharacter } from '../../src/cie/identity/fiscal-code.js';
import { loadCardFile, type CieCardData } from '../../src/simulator/card/index.js';
import { DEMO_HOLDER, type DemoEnvironment } from '../../src/simulator/demo-environment.js';

/**
 * Cards of distinct citizens, one login at a time per card: concurrent logins of one citizen
 * race in AccountStore.saveFromCard (delete, then putIfAbsent), which is not what is measured here.
 */
export class CardPool {
  readonly #free: CieCardData[];
  readonly #waiting: ((card: CieCardData) => void)[] = [];

  private constructor(cards: CieCardData[]) {
    this.#free = cards;
  }

  static async mint(environment: DemoEnvironment, count: number): Promise<CardPool> {
    const cards: CieCardData[] = [];
    for (let i = 0; i < count; i += 1) {
      const first15 = `RSSMRA85T10A${100 + i}`;
      const path = await environment.mintCardFile(`bench-${i}`, { ...DEMO_HOLDER, fiscalCode: first15 + checkCharacter(first15) });
      cards.push(await loadCardFile(path));
    }
    return new CardPool(cards);
  }

  async with<T>(use: (card: CieCardData) => Promise<T>): Promise<T> {
    const card = this.#free.pop() ?? (await new Promise<CieCardData>((resolve) => this.#waiting.push(resolve)));
    try {
      return await use(card);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(card);
      else this.#free.push(card);
    }
  }
}
