/**
 * Real servers started by tests and benchmarks, each on free loopback ports with its configuration
 * and logs in a run directory: {@link io.argus.testkit.servers.RtmpTestServer} (Debian's nginx with
 * libnginx-mod-rtmp, fed by ffmpeg publishers), {@link io.argus.testkit.servers.RtspTestServer}
 * (gst-rtsp-server through python3-gi) and {@link io.argus.testkit.servers.ExternalProcess} (a child
 * process with its output in a log file, stopped with TERM then KILL).
 */
package io.argus.testkit.servers;
