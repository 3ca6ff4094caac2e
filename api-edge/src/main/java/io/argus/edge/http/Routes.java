package io.argus.edge.http;

import io.javalin.Javalin;

/**
 * The routes of one API (jobs, frame &amp; flow, the schema registry facade, …), registered on the
 * edge's Javalin app by {@link EdgeServer}. Each API is its own route class; {@link EdgeServer}
 * holds only the server set-up shared by all of them.
 */
public interface Routes extends AutoCloseable {

    /**
     * Adds this API's routes.
     *
     * @param app the edge's app, before it starts
     */
    void register(Javalin app);

    /** Releases what the routes own (producers, sinks); called once when the edge stops. */
    @Override
    default void close() {
    }
}
