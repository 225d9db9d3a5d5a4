/**
 * Schedules `callback` for the next animation frame (a 16 ms timeout where there is no
 * `requestAnimationFrame`). Looked up at call time, never at import, so SSR and tests that mock
 * the frame clock both work. Returns a function that cancels the callback.
 */
export function scheduleFrame(callback: () => void): () => void {
  if (typeof requestAnimationFrame === "function") {
    const id = requestAnimationFrame(() => callback());
    return () => {
      if (typeof cancelAnimationFrame === "function") cancelAnimationFrame(id);
    };
  }
  const id = setTimeout(callback, 16);
  return () => clearTimeout(id);
}
