// `on-headers` ships no types (and @types/on-headers is not what its name says).
declare module "on-headers" {
  import type { ServerResponse } from "node:http";
  /** Calls `listener` just before `res` writes its headers (listeners run last-registered first). */
  export default function onHeaders(res: ServerResponse, listener: (this: ServerResponse) => void): void;
}
