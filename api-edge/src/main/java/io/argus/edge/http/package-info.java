/**
 * The HTTP edge: {@link io.argus.edge.http.EdgeServer} (Javalin) serving the routes of
 * {@code argus-video-api.md} (submission, queries, kill) and an optional Confluent Schema Registry
 * REST facade; when given, the frame &amp; flow routes of {@link io.argus.edge.extract}. Hook delivery
 * lives in {@link io.argus.edge.hooks}.
 */
package io.argus.edge.http;
