/**
 * `@agentstream/react/store`: a run store owned by a component, for apps that feed a
 * `StreamView` themselves (chunks from their own transport, AG-UI events from their own client).
 * The store is core's `createRunStore`: the reducer that folds chunks and AG-UI events into the
 * run's state, and the AG-UI decoder. It is a subpath of its own so that the main entry (the
 * components, which only read a store) carries none of it: the transports (`/sse`, `/copilot`)
 * create their stores themselves.
 *
 * @packageDocumentation
 */
export { useRunStore } from "./use-run-store.js";
