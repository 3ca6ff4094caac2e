/**
 * Hook (callback) delivery: CALLBACK /v1/video/segment, /op-result and /result of
 * {@code argus-video-api.md}.
 *
 * <ul>
 *   <li>{@link io.argus.edge.hooks.HookDispatcher}: the Kafka loop on the hooks topic (group
 *       {@code argus-hooks}), committing without duplicates across restarts;</li>
 *   <li>{@link io.argus.edge.hooks.HookDeliverer}: per-job ordered queues, concurrency, retries on a
 *       scheduler, dead letters;</li>
 *   <li>{@link io.argus.edge.hooks.HookOffsets} and {@link io.argus.edge.hooks.CommitMetadataCodec}:
 *       commit positions and the done calls listed in the commit metadata;</li>
 *   <li>{@link io.argus.edge.hooks.HookClient}, {@link io.argus.edge.hooks.HookBodies},
 *       {@link io.argus.edge.hooks.HookSignature}: the HTTP request, its body and its
 *       {@code X-Argus-Signature} (with {@code verify} for receivers);</li>
 *   <li>{@link io.argus.edge.hooks.RetryPolicy} and {@link io.argus.edge.hooks.HookSettings}: what
 *       is retried, backoff and limits.</li>
 * </ul>
 */
package io.argus.edge.hooks;
