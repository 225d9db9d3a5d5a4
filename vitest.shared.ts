/**
 * Settings every vitest project of the workspace shares: workspace packages resolve to their
 * TypeScript sources (the "source" export condition), so tests never need a prior build.
 */
export const sourceConditions = ["source", "module", "import", "default"];
export const sharedResolve = {
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ["source"] } },
};
