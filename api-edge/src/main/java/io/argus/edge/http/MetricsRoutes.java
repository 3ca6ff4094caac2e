package io.argus.edge.http;

import java.util.Objects;

import io.argus.edge.openapi.ApiRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /metrics}: every meter of the process in the Prometheus text exposition format
 * (version 0.0.4, {@code text/plain; version=0.0.4; charset=utf-8}), as Prometheus scrapes it.
 *
 * <p>Open like {@code /healthz}, also when API keys are required ({@code ApiKeys.OPEN_PATHS}):
 * scrapers seldom carry the API's keys, and the meters name no job, URI or key, only counts, times
 * and the names of ops, stages and consumer groups. Bind the edge to a private address, or keep
 * {@code /metrics} from the outside at the proxy, where that is too much.
 */
public final class MetricsRoutes implements Routes {

    /** Content type of the Prometheus text format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    /** @param registry the process's meters */
    public MetricsRoutes(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get("/metrics", ctx -> ctx.status(200).contentType(CONTENT_TYPE).result(registry.scrape()),
                op -> op.summary("Metrics of every stage in this process").tag("server")
                        .response(200, "every meter in the Prometheus text format 0.0.4 (README, Metrics)",
                                "text/plain"));
    }
}
