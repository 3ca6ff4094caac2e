/**
 * The HTTP server: {@link io.argus.edge.http.EdgeServer} (Javalin set-up shared by every API) and
 * the route classes ({@link io.argus.edge.http.Routes}, each route registered and described in the
 * OpenAPI document through {@link io.argus.edge.openapi.ApiRoutes}): {@link io.argus.edge.http.JobRoutes} for
 * {@code argus-video-api.md} (submission, queries, kill, ops) and
 * {@link io.argus.edge.http.SchemaRegistryRoutes}, the Confluent Schema Registry REST facade,
 * {@link io.argus.edge.http.FrameRoutes}, stored frames over HTTP. The
 * frame &amp; flow routes live in {@link io.argus.edge.extract}; hook delivery in
 * {@link io.argus.edge.hooks}. {@link io.argus.edge.EdgeApp} wires them.
 */
package io.argus.edge.http;
