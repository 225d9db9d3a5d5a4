import Link from "next/link";
import { RunPanel } from "./run-panel";

export default function Home() {
  return (
    <main>
      <h1>AgentStream on Next.js</h1>
      <p>
        The API is one route file, <code>app/api/[...path]/route.ts</code>. This page runs the{" "}
        <code>counter</code> agent with <code>useAgentStream</code>; <Link href="/chat">/chat</Link> is
        CopilotKit&apos;s chat on the same route.
      </p>
      <RunPanel agentId="counter" />
    </main>
  );
}
