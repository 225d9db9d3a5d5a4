import { type RefObject, useCallback, useEffect, useRef, useState } from "react";
import { useIsomorphicLayoutEffect } from "./use-isomorphic-layout-effect.js";

/** Options of {@link useStickToBottom}. */
export interface StickToBottomOptions {
  /** Distance from the bottom, in pixels, that still counts as "at the bottom". Default 32. */
  threshold?: number;
  /** Turn the behaviour off (the view then never scrolls by itself). Default true. */
  enabled?: boolean;
}

/** What {@link useStickToBottom} returns. */
export interface StickToBottom<S extends HTMLElement, C extends HTMLElement> {
  /** Attach to the scroll container. */
  scrollRef: RefObject<S | null>;
  /** Attach to the content inside it (its size changes are watched). */
  contentRef: RefObject<C | null>;
  /** True while the view follows new content. */
  stuck: boolean;
  /** Scrolls to the bottom and follows new content again. */
  scrollToBottom: () => void;
}

/**
 * Keeps a scroll container pinned to its bottom while content grows, lets go as soon as the user
 * scrolls up, and re-arms when the user scrolls back to the bottom.
 *
 * `dependency` is anything that changes when the content changes (e.g. the run's `version`):
 * after each change the container is scrolled, in a layout effect, before paint.
 */
export function useStickToBottom<
  S extends HTMLElement = HTMLDivElement,
  C extends HTMLElement = HTMLDivElement,
>(dependency: unknown, { threshold = 32, enabled = true }: StickToBottomOptions = {}): StickToBottom<S, C> {
  const scrollRef = useRef<S | null>(null);
  const contentRef = useRef<C | null>(null);
  const stuckRef = useRef(true);
  const lastTopRef = useRef(0);
  const [stuck, setStuckState] = useState(true);

  const setStuck = useCallback((value: boolean) => {
    if (stuckRef.current === value) return;
    stuckRef.current = value;
    setStuckState(value);
  }, []);

  const pin = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const top = el.scrollHeight - el.clientHeight;
    if (top > el.scrollTop) el.scrollTop = top;
    lastTopRef.current = el.scrollTop;
  }, []);

  const scrollToBottom = useCallback(() => {
    setStuck(true);
    pin();
  }, [pin, setStuck]);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el || !enabled) return;
    lastTopRef.current = el.scrollTop;
    const onScroll = () => {
      const top = el.scrollTop;
      const distance = el.scrollHeight - top - el.clientHeight;
      if (distance <= threshold) setStuck(true);
      else if (top < lastTopRef.current - 1) setStuck(false);
      lastTopRef.current = top;
    };
    el.addEventListener("scroll", onScroll, { passive: true });

    let observer: ResizeObserver | undefined;
    const content = contentRef.current;
    if (content && typeof ResizeObserver === "function") {
      observer = new ResizeObserver(() => {
        if (stuckRef.current) pin();
      });
      observer.observe(content);
    }
    return () => {
      el.removeEventListener("scroll", onScroll);
      observer?.disconnect();
    };
  }, [enabled, threshold, pin, setStuck]);

  // `dependency` is the trigger: scroll after each content change.
  useIsomorphicLayoutEffect(() => {
    if (enabled && stuckRef.current) pin();
  }, [dependency, enabled, pin]);

  return { scrollRef, contentRef, stuck, scrollToBottom };
}
