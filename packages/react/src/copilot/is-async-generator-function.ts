/**
 * True for an `async function*` (also a bound or class-method one): its `[[Class]]` is
 * `AsyncGeneratorFunction`. Plain functions that merely return an async iterable are not.
 */
export function isAsyncGeneratorFunction(value: unknown): value is (...args: never[]) => AsyncGenerator {
  if (typeof value !== "function") return false;
  return (
    Object.prototype.toString.call(value) === "[object AsyncGeneratorFunction]" ||
    value.constructor?.name === "AsyncGeneratorFunction"
  );
}
