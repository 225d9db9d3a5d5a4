import type { CSSProperties, ReactNode } from "react";

/** Inline so that assistive-only text stays hidden even before styles.css loads. */
const hidden: CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: "hidden",
  clip: "rect(0, 0, 0, 0)",
  whiteSpace: "nowrap",
  border: 0,
};

/** Text for assistive technology only. */
export function VisuallyHidden({ children }: { children: ReactNode }) {
  return (
    <span className="as-sr-only" style={hidden}>
      {children}
    </span>
  );
}

/** The same style, for elements that must carry their own attributes (live regions). */
export const visuallyHiddenStyle = hidden;
