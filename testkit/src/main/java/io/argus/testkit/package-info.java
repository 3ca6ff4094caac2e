/**
 * Argus's test kit: the in-process KRaft broker (the embedded default's and every test's) and the
 * real servers tests and benchmarks start.
 *
 * <ul>
 *   <li>{@link io.argus.testkit.kafka}: {@link io.argus.testkit.kafka.EmbeddedKafka}, a single-node
 *       KRaft broker in the calling JVM, the only user of Kafka's internal server APIs;</li>
 *   <li>{@link io.argus.testkit.servers}: {@link io.argus.testkit.servers.RtmpTestServer} (nginx-rtmp
 *       with ffmpeg publishers), {@link io.argus.testkit.servers.RtspTestServer} (gst-rtsp-server) and
 *       {@link io.argus.testkit.servers.ExternalProcess}, the child processes they run on.</li>
 * </ul>
 *
 * <p>The module depends on no other Argus module, so any module can use it at test scope; the
 * launcher uses it at compile scope (its one-JVM runtime starts the broker, its live benchmark the
 * RTMP server).
 */
package io.argus.testkit;
