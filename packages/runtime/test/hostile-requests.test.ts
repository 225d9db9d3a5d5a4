import { hostileRequests } from "./hostile-requests.js";

hostileRequests("memory", async () => undefined);
