/**
 * Which center kind a "类型/kind" cell names. A kind is known when the
 * living-circle standard has it (kernel/life-circle-standard.json), by its id
 * ("neighborhood"), its Chinese name ("党群服务中心", with or without the
 * note in brackets: "幼儿园" for "幼儿园（托儿所）") or its English name, or
 * when the stored centers already have it (a city imported with kinds of
 * its own). A full import may also bring new kinds, written as ids
 * (^[a-z][a-z0-9_]{0,63}$, the API's rule): it defines the city.
 */
import { LIFE_CIRCLE_STANDARD } from '../../kernel/life-circle-standard.ts';

/** The API's rule for a kind id (its centerKind schema). */
const KIND_ID = /^[a-z][a-z0-9_]{0,63}$/;

const key = (s: string) => s.normalize('NFKC').trim().toLowerCase();

export interface KindResolver {
  /** The kind id `value` names, or undefined. */
  kindOf(value: string): string | undefined;
  /** For messages: the kinds that are accepted. */
  accepted(): string;
}

/** Resolves kinds against the standard and `storedKinds`; `newIds` lets any well-formed id through (a full import). */
export function kindResolver(storedKinds: Iterable<string>, newIds = false): KindResolver {
  const names = new Map<string, string>();
  for (const k of LIFE_CIRCLE_STANDARD.kinds) {
    names.set(key(k.kind), k.kind);
    names.set(key(k.name), k.kind);
    names.set(key(k.nameZh), k.kind);
    names.set(key(k.nameZh.normalize('NFKC').replace(/\([^()]*\)\s*$/, '')), k.kind);
  }
  const stored = [...storedKinds].sort();
  for (const kind of stored) names.set(key(kind), kind);
  return {
    kindOf(value) {
      const found = names.get(key(value));
      if (found) return found;
      return newIds && KIND_ID.test(value.trim()) ? value.trim() : undefined;
    },
    accepted() {
      const standard = LIFE_CIRCLE_STANDARD.kinds.map((k) => `${k.kind} (${k.nameZh})`);
      const own = stored.filter((k) => !LIFE_CIRCLE_STANDARD.kindByName.has(k));
      return [...standard, ...own].join(', ');
    },
  };
}
