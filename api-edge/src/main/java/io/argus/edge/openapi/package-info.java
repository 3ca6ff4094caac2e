/**
 * The edge's OpenAPI 3.1 description, served at {@code GET /openapi.json}: route classes register
 * each route through {@link io.argus.edge.openapi.ApiRoutes}, which adds it to the Javalin app and
 * describes it ({@link io.argus.edge.openapi.OperationDoc}) in one call; the document is built with
 * swagger-core's models and written by its 3.1 serialiser.
 */
package io.argus.edge.openapi;
