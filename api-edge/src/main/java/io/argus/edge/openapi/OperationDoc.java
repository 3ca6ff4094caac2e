package io.argus.edge.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * The description of one route, written where the route is registered ({@link ApiRoutes#get} etc.):
 * an OpenAPI 3.1 Operation Object (OpenAPI 3.1.0 section 4.8.10) built fluently.
 *
 * <p>Path parameters come from the path's {@code {name}} segments (a string each, required); give
 * them a description with {@link #pathParam}. Answers are {@value #JSON} unless
 * {@link #produces} says otherwise; an answer of status 400 and above refers to the error schema
 * ({@link Schemas#ERROR}, or the one named by {@link #errors}). Each method returns this description,
 * so a route reads
 * {@code op -> op.summary("…").tag("jobs").response(200, "the job").response(404, "job not found")}.
 *
 * <p>Not thread-safe: used once, while the routes are registered.
 */
public final class OperationDoc {

    /** Media type of the JSON bodies and answers of Argus. */
    public static final String JSON = "application/json";
    /** Media type of HTML form bodies. */
    public static final String FORM = "application/x-www-form-urlencoded";

    private final Operation operation = new Operation();
    private final Map<String, Parameter> pathParams = new LinkedHashMap<>();
    private final List<Parameter> queryParams = new ArrayList<>();
    private final Map<Integer, Answer> responses = new LinkedHashMap<>();
    private String mediaType = JSON;
    private String errorSchema = Schemas.ERROR;
    private boolean withoutKey;

    /**
     * A described answer.
     *
     * @param description when it is given and what it holds
     * @param type        its media type, null for the route's
     * @param edgeError   whether the edge itself answers it (401, 413): {@value #JSON} with
     *                    {@link Schemas#ERROR}, whatever the route's media type and error shape
     */
    private record Answer(String description, String type, boolean edgeError) {
    }

    OperationDoc(List<String> pathParamNames) {
        for (String name : pathParamNames) {
            pathParams.put(name, new PathParameter().name(name).required(true).schema(Schemas.string()));
        }
    }

    /**
     * @param text one line saying what the route does
     * @return this
     */
    public OperationDoc summary(String text) {
        operation.setSummary(text);
        return this;
    }

    /**
     * @param text the longer explanation (CommonMark)
     * @return this
     */
    public OperationDoc description(String text) {
        operation.setDescription(text);
        return this;
    }

    /**
     * @param name the API the route belongs to (jobs, frame, schema registry, …): groups routes
     * @return this
     */
    public OperationDoc tag(String name) {
        operation.addTagsItem(name);
        return this;
    }

    /**
     * @param name        a {@code {name}} of the path
     * @param description what the value is
     * @return this
     * @throws IllegalArgumentException when the path has no such parameter
     */
    public OperationDoc pathParam(String name, String description) {
        Parameter p = pathParams.get(name);
        if (p == null) {
            throw new IllegalArgumentException("the path has no parameter {" + name + "}: " + pathParams.keySet());
        }
        p.setDescription(description);
        return this;
    }

    /**
     * An optional string query parameter.
     *
     * @param name        the parameter
     * @param description what it does, its default
     * @return this
     */
    public OperationDoc query(String name, String description) {
        return query(name, Schemas.string(), description);
    }

    /**
     * An optional query parameter.
     *
     * @param name        the parameter
     * @param schema      its values ({@link Schemas})
     * @param description what it does, its default
     * @return this
     */
    public OperationDoc query(String name, Schema<?> schema, String description) {
        queryParams.add(new QueryParameter().name(Objects.requireNonNull(name, "name")).schema(schema)
                .description(description));
        return this;
    }

    /**
     * A required query parameter.
     *
     * @param name        the parameter
     * @param schema      its values ({@link Schemas})
     * @param description what it does
     * @return this
     */
    public OperationDoc requiredQuery(String name, Schema<?> schema, String description) {
        queryParams.add(new QueryParameter().name(Objects.requireNonNull(name, "name")).schema(schema)
                .description(description).required(true));
        return this;
    }

    /**
     * The request body.
     *
     * @param description its fields, or where they are specified
     * @param required    whether a request must have one
     * @param mediaTypes  the accepted media types ({@link #JSON}, {@link #FORM}, …)
     * @return this
     */
    public OperationDoc body(String description, boolean required, String... mediaTypes) {
        Content content = new Content();
        for (String m : mediaTypes) {
            content.addMediaType(m, new MediaType());
        }
        operation.setRequestBody(new RequestBody().description(description).required(required).content(content));
        return this;
    }

    /**
     * A required JSON body.
     *
     * @param description its fields, or where they are specified
     * @return this
     */
    public OperationDoc jsonBody(String description) {
        return body(description, true, JSON);
    }

    /**
     * @param type the media type of this route's answers (default {@value #JSON})
     * @return this
     */
    public OperationDoc produces(String type) {
        this.mediaType = Objects.requireNonNull(type, "type");
        return this;
    }

    /**
     * @param schema the component (in {@code components.schemas}, {@link ApiRoutes#schema}) of
     *               this route's error answers, instead of {@link Schemas#ERROR}
     * @return this
     */
    public OperationDoc errors(String schema) {
        this.errorSchema = Objects.requireNonNull(schema, "schema");
        return this;
    }

    /**
     * An answer in this route's media type.
     *
     * @param status      HTTP status code
     * @param description when it is given and what it holds
     * @return this
     * @throws IllegalArgumentException when the status is already described, or not 100-599
     */
    public OperationDoc response(int status, String description) {
        return response(status, description, null);
    }

    /**
     * An answer in another media type than this route's (e.g. {@code text/plain}).
     *
     * @param status      HTTP status code
     * @param description when it is given and what it holds
     * @param type        its media type; null for this route's
     * @return this
     * @throws IllegalArgumentException when the status is already described, or not 100-599
     */
    public OperationDoc response(int status, String description, String type) {
        return add(status, new Answer(Objects.requireNonNull(description, "description"), type, false));
    }

    /** An error the edge answers before the route runs (401, 413), in the edge's error shape. */
    OperationDoc edgeError(int status, String description) {
        return add(status, new Answer(description, JSON, true));
    }

    private OperationDoc add(int status, Answer answer) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        if (responses.putIfAbsent(status, answer) != null) {
            throw new IllegalArgumentException("status " + status + " is already described");
        }
        return this;
    }

    /**
     * Marks the route as served without an API key (a page that holds no data, or a route with its
     * own credential); the route class must also answer it in {@code Routes.isOpen}, which is what
     * the edge's key check asks. Its description then has no 401 from the key check nor security.
     *
     * @return this
     */
    public OperationDoc withoutKey() {
        withoutKey = true;
        return this;
    }

    boolean isWithoutKey() {
        return withoutKey;
    }

    boolean hasResponse(int status) {
        return responses.containsKey(status);
    }

    boolean hasBody() {
        return operation.getRequestBody() != null;
    }

    /** @return the Operation Object; responses in status order, path parameters first */
    Operation build() {
        pathParams.values().forEach(operation::addParametersItem);
        queryParams.forEach(operation::addParametersItem);
        ApiResponses out = new ApiResponses();
        responses.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Answer a = e.getValue();
            MediaType media = new MediaType();
            if (a.edgeError()) {
                media.setSchema(Schemas.ref(Schemas.ERROR));
            } else if (e.getKey() >= 400 && a.type() == null) {
                media.setSchema(Schemas.ref(errorSchema));
            }
            out.addApiResponse(String.valueOf(e.getKey()), new ApiResponse().description(a.description())
                    .content(new Content().addMediaType(a.type() != null ? a.type() : mediaType, media)));
        });
        operation.setResponses(out);
        return operation;
    }
}
