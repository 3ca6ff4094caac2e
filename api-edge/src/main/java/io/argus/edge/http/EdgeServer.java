package io.argus.edge.http;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.servlet.FilterHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.openapi.ArgusInfo;
import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;
import io.argus.edge.security.ApiKeys;
import io.argus.edge.security.BodyFramingFilter;
import io.argus.edge.security.EdgeAuth;
import io.argus.edge.security.BodyLimitFilter;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.DispatcherType;

/**
 * The Argus HTTP server (Javalin): the set-up every API shares, and the route classes of each API
 * ({@link Routes}: {@link JobRoutes} for {@code argus-video-api.md}, the frame &amp; flow routes,
 * the schema registry facade, …). New APIs are added as route classes, never here.
 *
 * <p>What the server itself answers: {@code GET /healthz} 200 {@code {"status": "ok"}};
 * {@code GET /openapi.json} 200, the OpenAPI 3.1 description of every route (the route classes
 * describe each route as they register it, {@link ApiRoutes}). Unknown
 * routes answer 404 {@code {"error": "not found"}}; a body above {@value #MAX_BODY_BYTES} bytes
 * answers 413 {@code {"error": "request body too large"}}, whether it announces its length
 * ({@code Content-Length}, refused before it is read) or not ({@code Transfer-Encoding: chunked},
 * refused as soon as the limit is passed: {@link BodyLimitFilter}); a request line or header block
 * above {@value #MAX_HEADER_BYTES} bytes is refused by Jetty itself, with 414 (URI too long) or 431
 * (request header fields too large) and a short non-JSON body; a body that cannot be read answers
 * 400 {@code {"error": "bad request"}} (bad chunked framing, a chunk size that does not fit, a
 * connection closed before {@code Content-Length} bytes) or, when it stops arriving for the body
 * timeout, 408 {@code {"error": "request timeout"}}, each logged ({@link BodyFramingFilter});
 * {@code HEAD} on a GET route runs the GET route and answers its status and headers without the
 * body ({@link ApiRoutes#get}); an {@link ApiException} answers its
 * status with {@code {"error": message}} and {@code "detail"} where a human explanation helps; an
 * unexpected exception in a handler answers 500 {@code {"error": "internal error"}} and the server
 * keeps serving.
 *
 * <p>With API keys ({@link ApiKeys}, not {@link ApiKeys#open()}) every request but
 * {@code GET /healthz}, {@code GET /openapi.json}, the schema registry facade's reads and the routes
 * a route class serves without a key ({@link Routes#isOpen}: the dashboard's page and its
 * token-checked event stream) needs a key; a request without an accepted key answers 401
 * {@code {"error": "unauthorized"}} before its route runs (and before its body is read). With
 * {@link EdgeAuth} a JWT or a signed URL is accepted too, and the request's
 * {@link io.argus.edge.security.Principal} is put on it for the routes.
 *
 * <p>Everything is configured through the constructor; {@link #stop()} closes the route classes.
 */
public final class EdgeServer {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);
    /** Largest accepted request body: 1 MiB. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    /**
     * Largest request line plus headers, in bytes: 8 KiB (Jetty's {@code requestHeaderSize}; a
     * longer URL answers 414, longer headers 431).
     */
    public static final int MAX_HEADER_BYTES = 8 * 1024;
    /** Content type of API answers. */
    public static final String JSON = Replies.JSON;
    /**
     * How long a request body may pause before the request answers 408: 30 s (Jetty's default
     * connection idle timeout).
     */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
    /** Path of the OpenAPI description. */
    public static final String OPENAPI_PATH = "/openapi.json";

    private final EdgeAuth auth;
    private final Duration longestWait;
    private final Duration bodyTimeout;
    private final List<Routes> routes;
    private Javalin app;

    /**
     * @param apiKeys     the accepted keys ({@link ApiKeys#open()}: no key needed)
     * @param longestWait the longest a route answers asynchronously (a synchronous job, a kill);
     *                    Jetty's async timeout is 10 s more, so the route's own timeout answers first
     * @param routes      the APIs to serve, registered in this order; closed by {@link #stop()}
     */
    public EdgeServer(ApiKeys apiKeys, Duration longestWait, List<? extends Routes> routes) {
        this(apiKeys, longestWait, DEFAULT_BODY_TIMEOUT, routes);
    }

    /**
     * @param apiKeys     the accepted keys ({@link ApiKeys#open()}: no key needed)
     * @param longestWait the longest a route answers asynchronously (a synchronous job, a kill);
     *                    Jetty's async timeout is 10 s more, so the route's own timeout answers first
     * @param bodyTimeout how long reading a request body may wait for its next bytes before the
     *                    request answers 408 ({@link #DEFAULT_BODY_TIMEOUT}; Jetty's idle timeout of
     *                    I/O during a request, {@code HttpConfiguration.idleTimeout})
     * @param routes      the APIs to serve, registered in this order; closed by {@link #stop()}
     * @throws IllegalArgumentException when {@code bodyTimeout} is not positive
     */
    public EdgeServer(ApiKeys apiKeys, Duration longestWait, Duration bodyTimeout, List<? extends Routes> routes) {
        this(EdgeAuth.of(Objects.requireNonNull(apiKeys, "apiKeys")), longestWait, bodyTimeout, routes);
    }

    /**
     * @param auth        who may call, and as whom: API keys, JWT, signed URLs ({@link EdgeAuth})
     * @param longestWait see {@link #EdgeServer(ApiKeys, Duration, Duration, List)}
     * @param bodyTimeout see {@link #EdgeServer(ApiKeys, Duration, Duration, List)}
     * @param routes      the APIs to serve, registered in this order; closed by {@link #stop()}
     * @throws IllegalArgumentException when {@code bodyTimeout} is not positive
     */
    public EdgeServer(EdgeAuth auth, Duration longestWait, Duration bodyTimeout, List<? extends Routes> routes) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.longestWait = Objects.requireNonNull(longestWait, "longestWait");
        this.bodyTimeout = Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        if (bodyTimeout.isZero() || bodyTimeout.isNegative()) {
            throw new IllegalArgumentException("bodyTimeout must be positive: " + bodyTimeout);
        }
        this.routes = List.copyOf(routes);
    }

    /**
     * Starts listening on 127.0.0.1.
     *
     * @param port TCP port, 0 for any free port
     * @return the bound port
     */
    public int start(int port) {
        return start("127.0.0.1", port);
    }

    /**
     * Starts listening.
     *
     * @param host address to bind, e.g. {@code 0.0.0.0} for every interface
     * @param port TCP port, 0 for any free port
     * @return the bound port
     * @throws IllegalStateException when already started
     */
    public synchronized int start(String host, int port) {
        if (app != null) {
            throw new IllegalStateException("EdgeServer already started");
        }
        app = build();
        app.start(host, port);
        LOG.info("Argus edge listening on http://{}:{} ({})", host, app.port(),
                auth.isOpen() ? "no API key required" : auth);
        return app.port();
    }

    /** @return the bound port, or -1 when not started */
    public synchronized int port() {
        return app == null ? -1 : app.port();
    }

    /** @return the started app (its router lists the registered routes), or null when not started */
    synchronized Javalin javalin() {
        return app;
    }

    /** Stops the HTTP server and closes every route class, even when one fails to close. */
    public synchronized void stop() {
        if (app != null) {
            app.stop();
            app = null;
        }
        RuntimeException first = null;
        for (Routes r : routes) {
            try {
                r.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private java.util.Map<String, Long> bodyLimits() {
        java.util.Map<String, Long> limits = new java.util.HashMap<>();
        routes.forEach(r -> limits.putAll(r.bodyLimits()));
        return limits;
    }

    private Javalin build() {
        Javalin javalin = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            // a body that cannot be read (bad framing, cut short, stalled) answers 400 or 408
            config.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                    new FilterHolder(new BodyFramingFilter()), "/*", EnumSet.of(DispatcherType.REQUEST)));
            // bodies without Content-Length (chunked) are counted as they are read
            config.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                    new FilterHolder(new BodyLimitFilter(MAX_BODY_BYTES, bodyLimits())), "/*",
                    EnumSet.of(DispatcherType.REQUEST)));
            config.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(MAX_HEADER_BYTES);
                // bounds each blocking read of a request body (Jetty: I/O during a request)
                http.setIdleTimeout(bodyTimeout.toMillis());
            });
            // a route's own timeout answers first; this only bounds a request nothing answers
            config.http.asyncTimeout = longestWait.toMillis() + 10_000;
            config.requestLogger.http((ctx, ms) ->
                    LOG.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(), ctx.statusCode(), ms));
        });
        if (!auth.isOpen()) {
            io.javalin.http.Handler keyCheck = auth.handler();
            // a route class may serve some paths without a key (Routes.isOpen: the dashboard's page)
            javalin.before(ctx -> {
                for (Routes r : routes) {
                    if (r.isOpen(ctx.method(), ctx.path())) {
                        return;
                    }
                }
                keyCheck.handle(ctx);
            });
        }
        ApiRoutes api = new ApiRoutes(javalin, ArgusInfo.info(), !auth.isOpen(), MAX_BODY_BYTES);
        api.get("/healthz", ctx -> {
            ObjectNode out = ApiJson.MAPPER.createObjectNode();
            out.put("status", "ok");
            Replies.send(ctx, 200, out);
        }, op -> op.summary("Liveness").tag("server").response(200, "the edge is up: {\"status\": \"ok\"}"));
        // written once every route is registered, before the app starts
        AtomicReference<String> document = new AtomicReference<>();
        api.get(OPENAPI_PATH, ctx -> ctx.status(200).contentType(JSON).result(document.get()),
                op -> op.summary("This description").tag("server")
                        .response(200, "the OpenAPI 3.1 description of every route of this edge"));
        routes.forEach(r -> r.register(api));
        document.set(api.json());
        javalin.exception(ApiException.class, (e, ctx) -> {
            ObjectNode out = ApiJson.error(e.error());
            e.detail().ifPresent(d -> out.put("detail", d));
            Replies.send(ctx, e.status(), out);
        });
        javalin.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            ObjectNode out;
            if (status == 404) {
                out = ApiJson.error("not found");
                out.put("detail", e.getMessage());
            } else if (status == 413) {
                out = ApiJson.error("request body too large");
                out.put("detail", "the limit is " + MAX_BODY_BYTES + " bytes");
            } else {
                out = ApiJson.error(e.getMessage() == null ? "error" : e.getMessage().toLowerCase(Locale.ROOT));
            }
            Replies.send(ctx, status, out);
        });
        javalin.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
            Replies.send(ctx, 500, ApiJson.error("internal error"));
        });
        return javalin;
    }
}
