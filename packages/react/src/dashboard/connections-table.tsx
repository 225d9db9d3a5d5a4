import type { RunsApiConnection } from "@agentstream/core";
import { formatBytes, formatDuration } from "../internal/format.js";

/** A short name for a `User-Agent` ("Chrome 142", "curl 8.5", "node"). */
export function clientName(userAgent: string): string {
  if (!userAgent) return "–";
  const known =
    /(Edg|Firefox|Chrome|Safari|curl|node|undici|python-requests|Go-http-client)[/ ]?([\d]+)?/i.exec(
      userAgent,
    );
  if (!known) return userAgent.slice(0, 24);
  const name = known[1] === "Edg" ? "Edge" : (known[1] ?? "");
  return known[2] ? `${name} ${known[2]}` : name;
}

/** The recent event-stream connections, newest first. */
export function ConnectionsTable({ connections }: { connections: readonly RunsApiConnection[] }) {
  return (
    <div className="as-dash-scroll">
      <table className="as-dash-table">
        <caption>Connections (readers of a thread)</caption>
        <thead>
          <tr>
            <th scope="col">Transport</th>
            <th scope="col">Agent</th>
            <th scope="col">Client</th>
            <th scope="col">Opened</th>
            <th scope="col" className="as-dash-num">
              Duration
            </th>
            <th scope="col" className="as-dash-num">
              Events
            </th>
            <th scope="col" className="as-dash-num">
              Bytes
            </th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {connections.length === 0 ? (
            <tr>
              <td colSpan={8} className="as-dash-empty">
                No connections yet
              </td>
            </tr>
          ) : (
            connections.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.route}</th>
                <td>{c.agentId}</td>
                <td title={c.userAgent}>
                  {clientName(c.userAgent)} <span className="as-dash-muted">{c.client}</span>
                </td>
                <td>{new Date(c.startedAt).toLocaleTimeString("en-GB")}</td>
                <td className="as-dash-num">{formatDuration(c.durationMs)}</td>
                <td className="as-dash-num">{c.events}</td>
                <td className="as-dash-num">{formatBytes(c.bytes)}</td>
                <td>
                  {c.endedAt === undefined ? "open" : "closed"}
                  {c.reconnect ? " · reconnect" : ""}
                  {c.slow ? " · slow reader" : ""}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
