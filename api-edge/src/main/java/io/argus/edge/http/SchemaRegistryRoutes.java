package io.argus.edge.http;

import java.io.IOException;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.AvroRuntimeException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.openapi.OperationDoc;
import io.argus.edge.openapi.Schemas;
import io.argus.edge.render.ApiJson;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.registry.SchemaRegistryException;
import io.javalin.http.Context;

/**
 * A subset of the Confluent Schema Registry REST API (v1) over an {@link InMemorySchemaRegistry},
 * so standard Kafka tools (Confluent's deserializers, kcat, …) decode Argus records written on
 * the embedded default. AVRO schemas only; no compatibility checks, no references.
 *
 * <pre>
 * POST /subjects/{subject}/versions          {"schema": "&lt;avro json&gt;"}  -> {"id": n}
 * POST /subjects/{subject}                   {"schema": …}  -> {"subject", "version", "id", "schema"}
 * GET  /schemas/ids/{id}                     -> {"schema": "&lt;avro json&gt;"}
 * GET  /subjects                             -> ["subject", …]
 * GET  /subjects/{subject}/versions          -> [1, 2, …]
 * GET  /subjects/{subject}/versions/{v|latest} -> {"subject", "version", "id", "schema"}
 * </pre>
 * Errors use the registry's shape {@code {"error_code": n, "message": "…"}}: 40401 subject not
 * found, 40402 version not found, 40403 schema not found (HTTP 404), 42201 invalid schema (422).
 * Requests may use any content type; answers are {@code application/vnd.schemaregistry.v1+json}.
 */
public final class SchemaRegistryRoutes implements Routes {

    /** Content type of the Confluent Schema Registry REST API. */
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** Name of the registry's error shape in the OpenAPI document's {@code components.schemas}. */
    static final String ERROR_SCHEMA = "RegistryError";

    private final InMemorySchemaRegistry registry;

    /** @param registry the registry to serve */
    public SchemaRegistryRoutes(InMemorySchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.schema(ERROR_SCHEMA, Schemas.typed("object")
                .addProperty("error_code", Schemas.integer()
                        .description("40401 subject, 40402 version, 40403 schema not found; 42201 invalid schema"))
                .addProperty("message", Schemas.string()));
        String schemaBody = "{\"schema\": \"<avro json>\"} (schemaType AVRO or absent); any content type";
        routes.post("/subjects/{subject}/versions", this::registerSchema, op -> registry(op)
                .summary("Register a schema under a subject")
                .pathParam("subject", "the subject, e.g. argus.jobs-value")
                .body(schemaBody, true, OperationDoc.JSON, CONTENT_TYPE)
                .response(200, "{\"id\": n}")
                .response(422, "invalid schema (42201)"));
        routes.post("/subjects/{subject}", this::lookup, op -> registry(op)
                .summary("Look a schema up under a subject")
                .pathParam("subject", "the subject")
                .body(schemaBody, true, OperationDoc.JSON, CONTENT_TYPE)
                .response(200, "{\"subject\", \"version\", \"id\", \"schema\"}")
                .response(404, "subject (40401) or schema (40403) not found")
                .response(422, "invalid schema (42201)"));
        routes.get("/schemas/ids/{id}", this::schemaById, op -> registry(op)
                .summary("A schema by id")
                .pathParam("id", "the schema id")
                .response(200, "{\"schema\": \"<avro json>\"}")
                .response(404, "schema not found (40403)"));
        routes.get("/subjects", this::subjects, op -> registry(op)
                .summary("The subjects")
                .response(200, "[\"subject\", ...]"));
        routes.get("/subjects/{subject}/versions", this::versions, op -> registry(op)
                .summary("The versions of a subject")
                .pathParam("subject", "the subject")
                .response(200, "[1, 2, ...]")
                .response(404, "subject not found (40401)"));
        routes.get("/subjects/{subject}/versions/{version}", this::version, op -> registry(op)
                .summary("One version of a subject")
                .pathParam("subject", "the subject")
                .pathParam("version", "a version number from 1, or latest (or -1)")
                .response(200, "{\"subject\", \"version\", \"id\", \"schema\"}")
                .response(404, "subject (40401) or version (40402) not found"));
    }

    /** The shared part of the facade's descriptions: tag, media type, error shape. */
    private static OperationDoc registry(OperationDoc op) {
        return op.tag("schema registry").produces(CONTENT_TYPE).errors(ERROR_SCHEMA);
    }

    private void registerSchema(Context ctx) {
        Schema schema = readSchema(ctx);
        if (schema == null) {
            return;
        }
        int id = registry.register(ctx.pathParam("subject"), schema);
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("id", id);
        send(ctx, 200, out);
    }

    private void lookup(Context ctx) {
        Schema schema = readSchema(ctx);
        if (schema == null) {
            return;
        }
        String subject = ctx.pathParam("subject");
        List<Integer> ids = registry.versions(subject);
        if (ids.isEmpty()) {
            error(ctx, 404, 40401, "Subject '" + subject + "' not found.");
            return;
        }
        String text = schema.toString();
        for (int i = 0; i < ids.size(); i++) {
            if (registry.schemaById(ids.get(i)).toString().equals(text)) {
                send(ctx, 200, versionNode(subject, i + 1, ids.get(i)));
                return;
            }
        }
        error(ctx, 404, 40403, "Schema not found");
    }

    private void schemaById(Context ctx) {
        Schema schema;
        try {
            schema = registry.schemaById(Integer.parseInt(ctx.pathParam("id")));
        } catch (NumberFormatException | SchemaRegistryException e) {
            error(ctx, 404, 40403, "Schema not found");
            return;
        }
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("schema", schema.toString());
        send(ctx, 200, out);
    }

    private void subjects(Context ctx) {
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        registry.subjects().forEach(out::add);
        send(ctx, 200, out);
    }

    private void versions(Context ctx) {
        String subject = ctx.pathParam("subject");
        List<Integer> ids = registry.versions(subject);
        if (ids.isEmpty()) {
            error(ctx, 404, 40401, "Subject '" + subject + "' not found.");
            return;
        }
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        for (int v = 1; v <= ids.size(); v++) {
            out.add(v);
        }
        send(ctx, 200, out);
    }

    private void version(Context ctx) {
        String subject = ctx.pathParam("subject");
        List<Integer> ids = registry.versions(subject);
        if (ids.isEmpty()) {
            error(ctx, 404, 40401, "Subject '" + subject + "' not found.");
            return;
        }
        String v = ctx.pathParam("version");
        int version;
        try {
            version = "latest".equals(v) || "-1".equals(v) ? ids.size() : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            version = 0;
        }
        if (version < 1 || version > ids.size()) {
            error(ctx, 404, 40402, "Version " + v + " not found.");
            return;
        }
        send(ctx, 200, versionNode(subject, version, ids.get(version - 1)));
    }

    private ObjectNode versionNode(String subject, int version, int id) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("subject", subject);
        out.put("version", version);
        out.put("id", id);
        out.put("schema", registry.schemaById(id).toString());
        return out;
    }

    /** @return the schema of the request body, or null after answering 422 */
    private static Schema readSchema(Context ctx) {
        JsonNode body;
        try {
            body = ApiJson.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            error(ctx, 422, 42201, "Invalid schema: the body is not JSON");
            return null;
        }
        if (body == null || !body.path("schema").isTextual()) {
            error(ctx, 422, 42201, "Invalid schema: the body has no \"schema\" string");
            return null;
        }
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            error(ctx, 422, 42201, "Invalid schema: only AVRO schemas are supported, not " + type);
            return null;
        }
        try {
            return new Schema.Parser().parse(body.path("schema").textValue());
        } catch (AvroRuntimeException e) {
            // SchemaParseException, AvroTypeException: messages in the schema's terms
            error(ctx, 422, 42201, "Invalid schema: " + e.getMessage());
            return null;
        } catch (RuntimeException e) {
            // e.g. a bare undefined name ("Foo"): Avro 1.12 throws a NullPointerException naming its
            // internal class, which says nothing to the caller
            error(ctx, 422, 42201, "Invalid schema: it names a type that is not defined, or is not an Avro schema");
            return null;
        }
    }

    private static void error(Context ctx, int status, int code, String message) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("error_code", code);
        out.put("message", message);
        send(ctx, status, out);
    }

    private static void send(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType(CONTENT_TYPE).result(ApiJson.write(body));
    }
}
