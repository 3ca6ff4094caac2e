/**
 * The frame &amp; flow service of the edge ({@code specs/frame-flow-api.md}, DESIGN.md "Frame &amp; flow
 * service"): {@code POST /frame}, {@code POST /flow} (requests to ingest), {@code GET /frame},
 * {@code GET /flow} (stored items by pattern), history, single requests, deletion and retention.
 *
 * <p>Pieces, wired by {@link io.argus.edge.EdgeApp}:
 * <ul>
 *   <li>{@link io.argus.edge.extract.ExtractionRequestParser}: POST bodies -&gt;
 *       {@link io.argus.schemas.avro.ExtractionRequest} + WAITING
 *       {@link io.argus.schemas.avro.ExtractionStatus};</li>
 *   <li>{@link io.argus.edge.extract.ExtractionSink} ({@link io.argus.edge.extract.KafkaExtractionSink}):
 *       requests, statuses and tombstones to Kafka;</li>
 *   <li>{@link io.argus.edge.extract.ExtractionIndex}: a Kafka Streams application holding the whole
 *       index (argus.extracted) and every request status (argus.extraction-status) in two global
 *       RocksDB stores; queried through {@link io.argus.edge.extract.ExtractionCatalog};</li>
 *   <li>{@link io.argus.edge.extract.ExtractionStorage}: deletion of stored files (the frame store);</li>
 *   <li>{@link io.argus.edge.extract.ExtractionDeleter} and
 *       {@link io.argus.edge.extract.ExtractionRetention}: DELETE and the periodic retention sweep;</li>
 *   <li>{@link io.argus.edge.extract.ExtractionRoutes}: the HTTP routes, registered by
 *       {@link io.argus.edge.http.EdgeServer} as one of its {@link io.argus.edge.http.Routes}.</li>
 * </ul>
 */
package io.argus.edge.extract;
