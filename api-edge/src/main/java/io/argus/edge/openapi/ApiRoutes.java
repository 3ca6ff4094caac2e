package io.argus.edge.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.argus.edge.security.ApiKeys;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * Where the route classes register their routes: each route is added to the edge's Javalin app and
 * described in the edge's OpenAPI 3.1 document in the same call, so no route is served without a
 * description ({@code routes.get("/v1/jobs/video/{job_id}", handler, op -> op.summary("…")…)},
 * {@link OperationDoc}).
 *
 * <p>Added to every description: the path's {@code {name}} parameters; with API keys, the security
 * schemes of {@link ApiKeys} ({@code Authorization: Bearer} and {@value ApiKeys#KEY_HEADER}) and a
 * 401 answer on every route that is not open ({@link ApiKeys#isOpenRoute}); on routes with a body, a
 * 413 answer for a body above the edge's limit. The document is OpenAPI 3.1.0
 * (<a href="https://spec.openapis.org/oas/v3.1.0">spec</a>), written by swagger-core's 3.1 serialiser
 * ({@link Json31}).
 *
 * <p>Not thread-safe: used by one thread while the edge is built, before it starts.
 */
public final class ApiRoutes {

    /** Name of the {@code Authorization: Bearer <key>} scheme in {@code components.securitySchemes}. */
    public static final String BEARER = "bearer";
    /** Name of the {@value ApiKeys#KEY_HEADER} scheme in {@code components.securitySchemes}. */
    public static final String API_KEY = "apiKey";

    /** A {@code {name}} segment of a Javalin path. */
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^{}/]+)}");

    private final Javalin app;
    private final boolean keysRequired;
    private final long maxBodyBytes;
    private final OpenAPI document;

    /**
     * @param app          the edge's app, before it starts
     * @param info         the document's {@code info} (title, version; {@link ArgusInfo#info()})
     * @param keysRequired whether the edge needs API keys (a 401 answer and security on every route
     *                     that is not open)
     * @param maxBodyBytes the largest request body the edge accepts, for the 413 answers
     */
    public ApiRoutes(Javalin app, Info info, boolean keysRequired, long maxBodyBytes) {
        this.app = Objects.requireNonNull(app, "app");
        this.keysRequired = keysRequired;
        this.maxBodyBytes = maxBodyBytes;
        this.document = new OpenAPI(SpecVersion.V31).openapi("3.1.0").info(Objects.requireNonNull(info, "info"))
                .components(new Components().addSchemas(Schemas.ERROR, Schemas.error()));
        if (keysRequired) {
            document.getComponents()
                    .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                            .description("Authorization: Bearer <key or JWT> (RFC 6750 section 2.1); the media "
                                    + "API's signed URLs carry expires and signature query parameters instead"))
                    .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                            .in(SecurityScheme.In.HEADER).name(ApiKeys.KEY_HEADER));
        }
    }

    /**
     * Adds a GET route, and the same handler for {@code HEAD} on that path, so that HEAD answers
     * GET's status and headers (RFC 9110 section 9.3.2; Jetty sends no body for HEAD). Javalin alone
     * would answer an empty 200 to HEAD on every path with a GET route, whatever GET answers.
     *
     * @param path     Javalin path, {@code {name}} for a path parameter
     * @param handler  the route
     * @param describe writes its description
     * @return this
     * @throws IllegalArgumentException see {@link #add}
     */
    public ApiRoutes get(String path, Handler handler, Consumer<OperationDoc> describe) {
        return add(HandlerType.GET, path, handler, describe);
    }

    /**
     * Adds a POST route.
     *
     * @param path     Javalin path, {@code {name}} for a path parameter
     * @param handler  the route
     * @param describe writes its description
     * @return this
     * @throws IllegalArgumentException see {@link #add}
     */
    public ApiRoutes post(String path, Handler handler, Consumer<OperationDoc> describe) {
        return add(HandlerType.POST, path, handler, describe);
    }

    /**
     * Adds a DELETE route.
     *
     * @param path     Javalin path, {@code {name}} for a path parameter
     * @param handler  the route
     * @param describe writes its description
     * @return this
     * @throws IllegalArgumentException see {@link #add}
     */
    public ApiRoutes delete(String path, Handler handler, Consumer<OperationDoc> describe) {
        return add(HandlerType.DELETE, path, handler, describe);
    }

    /**
     * Adds a route to the app and its description to the document; a GET route also answers HEAD
     * ({@link #get}).
     *
     * @param method   GET, POST, PUT, PATCH or DELETE
     * @param path     Javalin path, {@code {name}} for a path parameter
     * @param handler  the route
     * @param describe writes its description; must give at least one answer
     * @return this
     * @throws IllegalArgumentException when the method is not one of those, the path has another
     *                                  kind of parameter ({@code <name>}, {@code *}), the route is
     *                                  already described, or the description gives no answer
     */
    public ApiRoutes add(HandlerType method, String path, Handler handler, Consumer<OperationDoc> describe) {
        Objects.requireNonNull(handler, "handler");
        if (path.contains("<") || path.contains("*")) {
            throw new IllegalArgumentException("only {name} path parameters can be described: " + path);
        }
        PathItem item = document.getPaths() == null ? null : document.getPaths().get(path);
        if (item == null) {
            item = new PathItem();
            document.path(path, item);
        }
        if (item.readOperationsMap().containsKey(httpMethod(method))) {
            throw new IllegalArgumentException(method + " " + path + " is already registered");
        }
        OperationDoc doc = new OperationDoc(pathParams(path));
        describe.accept(doc);
        boolean open = ApiKeys.isOpenRoute(method, path) || doc.isWithoutKey();
        if (keysRequired && !open && !doc.hasResponse(401)) {
            doc.edgeError(401, "no accepted credential (Authorization: Bearer <key or JWT>, " + ApiKeys.KEY_HEADER
                    + ", or a signed URL), or a JWT or signed URL that is not valid");
        }
        if (doc.hasBody() && !doc.hasResponse(413)) {
            doc.edgeError(413, "the body is larger than " + maxBodyBytes + " bytes");
        }
        Operation op = doc.build();
        if (op.getResponses().isEmpty()) {
            throw new IllegalArgumentException(method + " " + path + " describes no answer");
        }
        if (keysRequired && !open) {
            op.addSecurityItem(new SecurityRequirement().addList(BEARER))
                    .addSecurityItem(new SecurityRequirement().addList(API_KEY));
        }
        item.operation(httpMethod(method), op);
        app.addHttpHandler(method, path, handler);
        if (method == HandlerType.GET) {
            app.addHttpHandler(HandlerType.HEAD, path, handler);
        }
        return this;
    }

    /**
     * Adds a schema to {@code components.schemas}, e.g. an error shape named by
     * {@link OperationDoc#errors}.
     *
     * @param name   its name
     * @param schema the schema ({@link Schemas})
     * @return this
     */
    public ApiRoutes schema(String name, Schema<?> schema) {
        document.getComponents().addSchemas(name, schema);
        return this;
    }

    /** @return the document as built so far (live, not a copy) */
    public OpenAPI document() {
        return document;
    }

    /** @return the document as OpenAPI 3.1 JSON (indented) */
    public String json() {
        return Json31.pretty(document);
    }

    /**
     * @param path a Javalin path
     * @return the names of its {@code {name}} parameters, in order
     */
    static List<String> pathParams(String path) {
        List<String> names = new ArrayList<>();
        Matcher m = PATH_PARAM.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static PathItem.HttpMethod httpMethod(HandlerType method) {
        switch (method) {
            case GET:
                return PathItem.HttpMethod.GET;
            case POST:
                return PathItem.HttpMethod.POST;
            case PUT:
                return PathItem.HttpMethod.PUT;
            case PATCH:
                return PathItem.HttpMethod.PATCH;
            case DELETE:
                return PathItem.HttpMethod.DELETE;
            default:
                throw new IllegalArgumentException("not a described method: " + method);
        }
    }
}
