package io.argus.edge.http;

import io.argus.edge.openapi.ApiRoutes;

/**
 * The routes of one API (jobs, frame &amp; flow, the schema registry facade, …), registered on the
 * edge's Javalin app by {@link EdgeServer} through {@link ApiRoutes}, which describes each route in
 * the edge's OpenAPI document ({@code GET /openapi.json}) as it registers it. Each API is its own
 * route class; {@link EdgeServer} holds only the server set-up shared by all of them.
 */
public interface Routes extends AutoCloseable {

    /**
     * Adds and describes this API's routes.
     *
     * @param routes the edge's routes, before the app starts
     */
    void register(ApiRoutes routes);

    /**
     * @return request paths whose bodies may be larger than the edge's general limit (uploads),
     *         with their limit in bytes; none by default
     */
    default java.util.Map<String, Long> bodyLimits() {
        return java.util.Map.of();
    }

    /**
     * Whether a request needs no API key because this API serves it without one (the dashboard's
     * static page, a route with its own short-lived credential); such routes are described with
     * {@link io.argus.edge.openapi.OperationDoc#withoutKey()}. None by default.
     *
     * @param method the request's method
     * @param path   the request's path
     * @return true when the edge's key check must let the request through
     */
    default boolean isOpen(io.javalin.http.HandlerType method, String path) {
        return false;
    }

    /** Releases what the routes own (producers, sinks); called once when the edge stops. */
    @Override
    default void close() {
    }
}
