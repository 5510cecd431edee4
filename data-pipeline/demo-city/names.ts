/**
 * Generated two-character place names for communities and villages, in the
 * style of Putian's (东岩, 梅峰, 霞坂 ...), unique across the city and never
 * the same as a real town-level unit's name.
 */
import { PUTIAN_STREETS } from './putian-divisions.ts';
import type { SeededRandom } from './seeded-random.ts';

const FIRST = '东西南北上下前后新霞龙凤梅桥洋溪塘山石林田沙港浦湖亭岭坑坂埔厝兜阳华安宁庆延英紫玉金锦荔枫柳竹莲清泉云瑞福';
const SECOND = '头尾坑坂埔厝兜里洋溪塘山岭亭林园井田桥港峰湖阳华安宁庄苑城光美丰兴和平盛泰宅墩柄埕';

export class NamePool {
  private readonly names: string[];
  private next = 0;

  constructor(rng: SeededRandom) {
    const real = new Set(PUTIAN_STREETS.map((s) => s.name.replace(/(街道|镇|乡)$/, '')));
    const names: string[] = [];
    for (const a of FIRST) {
      for (const b of SECOND) {
        if (a === b) continue;
        const name = a + b;
        if (!real.has(name)) names.push(name);
      }
    }
    this.names = rng.shuffle(names);
  }

  take(): string {
    if (this.next >= this.names.length) throw new Error('NamePool: out of names');
    return this.names[this.next++];
  }
}
