/**
 * OpenTelemetry for the server app: when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, the Node SDK's
 * tracer provider is registered (W3C trace context, async context) with a batching OTLP/HTTP
 * exporter (JSON, to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`;
 * headers and timeouts from the standard `OTEL_EXPORTER_OTLP_*` variables). The runtime itself only uses `@opentelemetry/api`: its run spans go wherever the
 * registered provider sends them. `OTEL_SERVICE_NAME` names the service (default `agentstream`).
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

/** The registered provider: flush it before the process exits. */
export interface Tracing {
  /** Sends what is buffered. */
  flush(): Promise<void>;
  /** Flushes and stops exporting. */
  shutdown(): Promise<void>;
}

/** Registers tracing when `OTEL_EXPORTER_OTLP_ENDPOINT` is set; `undefined` otherwise. */
export function startTracing(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Tracing | undefined {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return undefined;
  // As the OTLP spec says: the traces path under the base endpoint, unless a traces endpoint is given.
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || `${base.replace(/\/+$/, "")}/v1/traces`;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME?.trim() || "agentstream" }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  provider.register();
  return { flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}
