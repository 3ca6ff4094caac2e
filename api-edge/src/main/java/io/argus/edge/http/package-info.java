/**
 * The HTTP edge: {@link io.argus.edge.http.EdgeServer} (Javalin) serving the routes of
 * {@code argus-video-api.md} and an optional Confluent Schema Registry REST facade.
 */
package io.argus.edge.http;
