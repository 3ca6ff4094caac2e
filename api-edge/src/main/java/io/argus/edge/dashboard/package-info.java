/**
 * The web dashboard served by the edge: its static page ({@link io.argus.edge.dashboard.DashboardAssets},
 * plain HTML, CSS and ES modules from the jar, no build step, no third-party code), the job list it
 * reads, and the Server-Sent Events of a tracked job's frames, counts and segments
 * ({@link io.argus.edge.dashboard.LiveSegments}), opened with a short-lived
 * HMAC token ({@link io.argus.edge.dashboard.StreamTokens}) instead of an API key in a URL
 * ({@link io.argus.edge.dashboard.DashboardRoutes}).
 */
package io.argus.edge.dashboard;
