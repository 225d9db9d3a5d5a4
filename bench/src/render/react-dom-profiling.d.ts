/** React's profiling build of react-dom/client (same API; <Profiler> callbacks run in production). */
declare module "react-dom/profiling" {
  export * from "react-dom/client";
}
