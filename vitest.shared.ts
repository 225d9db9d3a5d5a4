/**
 * Settings every vitest project of the workspace shares: workspace packages resolve to their
 * TypeScript sources through the "@agentstream/source" export condition, so tests never need a
 * prior build. (A plain "source" condition would also pick up third-party packages' sources.)
 */
export const sourceConditions = ["@agentstream/source", "module", "import", "default"];
export const sharedResolve = {
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@agentstream/source"] } },
};

// vitest 5's reporter calls Map.groupBy (Node 21+) when it prints failures; on Node 20 it then
// crashes instead of showing them. A tiny polyfill keeps failure reports readable.
if (typeof (Map as { groupBy?: unknown }).groupBy !== "function") {
  Object.defineProperty(Map, "groupBy", {
    configurable: true,
    writable: true,
    value<T, K>(items: Iterable<T>, key: (item: T, index: number) => K): Map<K, T[]> {
      const map = new Map<K, T[]>();
      let index = 0;
      for (const item of items) {
        const k = key(item, index++);
        const group = map.get(k);
        if (group) group.push(item);
        else map.set(k, [item]);
      }
      return map;
    },
  });
}

