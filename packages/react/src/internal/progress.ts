/**
 * ProgressBar props from stream data (`current` of `total`), never invalid: unknown or
 * non-positive totals give an indeterminate bar, values are clamped into `0..total`.
 */
export function progressValue(
  current: number,
  total: number | undefined,
): { value: number | null; max?: number } {
  if (total === undefined || !Number.isFinite(total) || total <= 0) return { value: null };
  const value = Number.isFinite(current) ? Math.min(Math.max(current, 0), total) : 0;
  return { value, max: total };
}
