/**
 * Settings every vitest project of the workspace shares: workspace packages resolve to their
 * TypeScript sources through the "@agentstream/source" export condition, so tests never need a
 * prior build. (A plain "source" condition would also pick up third-party packages' sources.)
 */
//
// "import"/"default" are left out on purpose: vite adds "import"/"require" per call, and listing
// "import" here would also apply it to `require()` inside CommonJS dependencies (express's router
// then loads is-promise's ESM build and every request fails with "isPromise is not a function").
export const sourceConditions = ["@agentstream/source", "module", "node", "development|production"];
const browserConditions = ["@agentstream/source", "module", "browser", "development|production"];
export const sharedResolve = {
  resolve: { conditions: browserConditions },
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
