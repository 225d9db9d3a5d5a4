import { useEffect, useRef, useState } from "react";

/**
 * The three places of the workspace, in page order on a phone. The document and the agent panel
 * have no id of their own: they are found by their titles' ids (the panels' aria-labelledby).
 */
const VIEWS = [
  { key: "document", label: "Document", title: "document-label" },
  { key: "agent", label: "Agent run", title: "agent-panel-title" },
  { key: "chat", label: "Chat", id: "chat" },
] as const;
type View = (typeof VIEWS)[number]["key"];

/** The element a view scrolls to, and watches. */
function targetOf(view: (typeof VIEWS)[number]): HTMLElement | null {
  if ("id" in view) return document.getElementById(view.id);
  return document.getElementById(view.title)?.closest<HTMLElement>("section") ?? null;
}

function reduceMotion(): boolean {
  return matchMedia("(prefers-reduced-motion: reduce)").matches;
}

/**
 * On narrow screens the document, the agent panel and the chat stack in one column; this bar
 * stays at the top and takes the user to any of them in one tap (scroll, then focus, so the
 * keyboard and screen readers follow). The view in sight is marked `aria-current`. Hidden by
 * CSS on wider screens, where all three are side by side.
 */
export function MobileNav() {
  const [current, setCurrent] = useState<View>("document");
  // During a jump the views in between pass the line: the bar keeps showing the jump's target.
  const jump = useRef<{ view: View; until: number } | null>(null);

  // The view in sight: the one crossing a line 40% down the viewport.
  useEffect(() => {
    const targets = VIEWS.map((v) => [v.key, targetOf(v)] as const).filter(
      (e): e is readonly [View, HTMLElement] => e[1] !== null,
    );
    if (targets.length === 0 || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          const hit = targets.find(([, el]) => el === entry.target);
          if (!hit) continue;
          const pending = jump.current;
          if (pending && pending.until > performance.now() && pending.view !== hit[0]) continue;
          jump.current = null;
          setCurrent(hit[0]);
        }
      },
      { rootMargin: "-40% 0px -60% 0px" },
    );
    for (const [, el] of targets) observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const go = (view: (typeof VIEWS)[number]) => {
    const el = targetOf(view);
    if (!el) return;
    setCurrent(view.key);
    jump.current = { view: view.key, until: performance.now() + 1500 };
    el.scrollIntoView({ block: "start", behavior: reduceMotion() ? "auto" : "smooth" });
    // Focus follows, without a second jump: Tab goes on from there.
    if (!el.hasAttribute("tabindex")) el.tabIndex = -1;
    el.focus({ preventScroll: true });
  };

  return (
    <nav className="mobile-nav" aria-label="Workspace views" data-testid="mobile-nav">
      {VIEWS.map((view) => (
        <button
          key={view.key}
          type="button"
          className="mobile-nav__item"
          aria-controls={"id" in view ? view.id : undefined}
          aria-current={current === view.key ? "true" : undefined}
          onClick={() => go(view)}
          data-view={view.key}
        >
          {view.label}
        </button>
      ))}
    </nav>
  );
}
