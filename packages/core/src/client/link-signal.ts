/**
 * A child abort controller that follows a parent signal, with one listener that is removed on
 * `dispose` (AbortSignal.any is not everywhere yet, and a listener left behind per connection
 * would grow with every reconnect).
 *
 * @packageDocumentation
 */

/** A controller aborted with `parent`, and the function that unlinks it. */
export function linkedController(parent: AbortSignal | undefined): {
  controller: AbortController;
  dispose: () => void;
} {
  const controller = new AbortController();
  if (parent === undefined) return { controller, dispose: () => {} };
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener("abort", onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener("abort", onAbort) };
}
