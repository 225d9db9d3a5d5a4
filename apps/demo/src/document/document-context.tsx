import {
  createContext,
  type Dispatch,
  type ReactNode,
  type RefObject,
  useContext,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from "react";
import { type DocumentAction, type DocumentState, documentReducer, INITIAL_DOCUMENT } from "./model.js";

interface DocumentContextValue {
  doc: DocumentState;
  dispatch: Dispatch<DocumentAction>;
  /** The latest state, for long-running action handlers (a closure would see a stale one). */
  docRef: RefObject<DocumentState>;
}

const DocumentContext = createContext<DocumentContextValue | null>(null);

export function DocumentProvider({ children }: { children: ReactNode }) {
  const [doc, rawDispatch] = useReducer(documentReducer, INITIAL_DOCUMENT);
  const docRef = useRef(doc);
  useLayoutEffect(() => {
    docRef.current = doc;
  }, [doc]);
  // Keeps docRef current between renders too: an action may dispatch, then read, in one tick.
  const [dispatch] = useState<Dispatch<DocumentAction>>(() => (action: DocumentAction) => {
    docRef.current = documentReducer(docRef.current, action);
    rawDispatch(action);
  });
  const value = useMemo<DocumentContextValue>(() => ({ doc, dispatch, docRef }), [doc, dispatch]);
  return <DocumentContext.Provider value={value}>{children}</DocumentContext.Provider>;
}

export function useDocument(): DocumentContextValue {
  const value = useContext(DocumentContext);
  if (!value) throw new Error("useDocument must be used inside <DocumentProvider>");
  return value;
}
