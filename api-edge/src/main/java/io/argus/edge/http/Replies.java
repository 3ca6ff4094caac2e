package io.argus.edge.http;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.edge.render.ApiJson;
import io.javalin.http.Context;

/** Writing JSON answers: every route class answers through here, so content type and encoding agree. */
public final class Replies {

    /** Content type of API answers. */
    public static final String JSON = "application/json";

    private Replies() {
    }

    /**
     * Sets the status and a JSON body ({@link ApiJson#write}, UTF-8) with content type {@value #JSON}.
     *
     * @param ctx    the request
     * @param status HTTP status code
     * @param body   the answer
     */
    public static void send(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType(JSON).result(ApiJson.write(body));
    }

    /**
     * @param ctx a request
     * @return the API's base URL as the client reached it ({@code X-Forwarded-Proto} and
     *         {@code X-Forwarded-Host} when a proxy sets them), e.g. {@code http://127.0.0.1:8080}
     */
    public static String baseUrl(Context ctx) {
        String proto = java.util.Optional.ofNullable(ctx.header("X-Forwarded-Proto")).orElse(ctx.scheme());
        String host = java.util.Optional.ofNullable(ctx.header("X-Forwarded-Host")).orElse(ctx.host());
        return proto + "://" + host;
    }
}
