package io.argus.testkit.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throw-away RTMP server for tests and benchmarks: Debian's nginx with libnginx-mod-rtmp on
 * 127.0.0.1, its configuration, pid file and logs in a run directory (never the system's), and
 * ffmpeg publishers that loop a video file as a live stream ({@code -re -stream_loop -1}, codec
 * copy, so a publisher costs almost no CPU).
 *
 * <p>Configuration follows nginx-rtmp-module's directives: {@code live on}, {@code wait_key on}
 * (players start on a keyframe), {@code idle_streams off} (players are disconnected when the
 * publisher goes, so readers see EOF at once). The HTTP {@code /stat} page (rtmp_stat) tells how
 * many clients play a stream. nginx runs as one process ({@code master_process off}): the kernel
 * kills it with the JVM ({@link ExternalProcess}'s parent-death signal), whereas a worker forked
 * by a master would outlive a JVM killed with SIGKILL. Needs {@code nginx libnginx-mod-rtmp ffmpeg}
 * installed.
 */
public final class RtmpTestServer implements AutoCloseable {

    /** Where Debian's libnginx-mod-rtmp installs the module. */
    public static final String MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
    /** The nginx-rtmp application streams are published under. */
    public static final String APP = "live";

    private static final Pattern STREAM = Pattern.compile("<stream>\\s*<name>([^<]*)</name>(.*?)</stream>",
            Pattern.DOTALL);
    private static final Pattern CLIENT = Pattern.compile("<client>(.*?)</client>", Pattern.DOTALL);

    private final Path runDir;
    private final int rtmpPort;
    private final int httpPort;
    private final ExternalProcess nginx;
    private final HttpClient http = HttpClient.newHttpClient();

    private RtmpTestServer(Path runDir, int rtmpPort, int httpPort, ExternalProcess nginx) {
        this.runDir = runDir;
        this.rtmpPort = rtmpPort;
        this.httpPort = httpPort;
        this.nginx = nginx;
    }

    /**
     * Writes the configuration and starts nginx on free loopback ports.
     *
     * @param runDir directory for configuration, pid file, temp files and logs
     * @return the running server
     * @throws IOException when nginx or the module is missing or nginx does not listen
     */
    public static RtmpTestServer start(Path runDir) throws IOException {
        if (!Files.isReadable(Path.of(MODULE))) {
            throw new IOException("missing " + MODULE + " (apt-get install nginx libnginx-mod-rtmp ffmpeg)");
        }
        Files.createDirectories(runDir.resolve("tmp"));
        int rtmp = ExternalProcess.freePort();
        int httpPort = ExternalProcess.freePort();
        Path conf = runDir.resolve("nginx.conf");
        Files.writeString(conf, config(runDir.toAbsolutePath(), rtmp, httpPort));
        ExternalProcess nginx = ExternalProcess.start("nginx", runDir.resolve("nginx-stdout.log"), List.of(
                "nginx", "-p", runDir.toAbsolutePath().toString(), "-e", runDir.resolve("nginx-error.log").toString(),
                "-c", conf.toAbsolutePath().toString()));
        try {
            ExternalProcess.awaitPort(rtmp, Duration.ofSeconds(10), nginx);
            ExternalProcess.awaitPort(httpPort, Duration.ofSeconds(10), nginx);
        } catch (IOException e) {
            nginx.close();
            throw e;
        }
        return new RtmpTestServer(runDir, rtmp, httpPort, nginx);
    }

    private static String config(Path dir, int rtmp, int httpPort) {
        return """
                load_module %1$s;
                daemon off;
                master_process off;
                pid %2$s/nginx.pid;
                error_log %2$s/nginx-error.log info;
                events { worker_connections 256; }
                rtmp {
                  access_log %2$s/rtmp-access.log;
                  server {
                    listen 127.0.0.1:%3$d;
                    chunk_size 4096;
                    application %5$s {
                      live on;
                      record off;
                      allow publish 127.0.0.1;
                      deny publish all;
                      allow play all;
                      wait_key on;
                      idle_streams off;
                      drop_idle_publisher 10s;
                    }
                  }
                }
                http {
                  access_log %2$s/nginx-access.log;
                  client_body_temp_path %2$s/tmp/body;
                  proxy_temp_path %2$s/tmp/proxy;
                  fastcgi_temp_path %2$s/tmp/fastcgi;
                  uwsgi_temp_path %2$s/tmp/uwsgi;
                  scgi_temp_path %2$s/tmp/scgi;
                  server {
                    listen 127.0.0.1:%4$d;
                    location /stat { rtmp_stat all; }
                  }
                }
                """.formatted(MODULE, dir, rtmp, httpPort, APP);
    }

    /**
     * @param stream stream name
     * @return {@code rtmp://127.0.0.1:<port>/live/<stream>}
     */
    public String url(String stream) {
        return "rtmp://127.0.0.1:" + rtmpPort + "/" + APP + "/" + stream;
    }

    /**
     * Starts an ffmpeg publisher looping {@code video} (H.264 in FLV or MP4; copied, not re-encoded)
     * in real time, and waits until the server lists the stream as published.
     *
     * @param stream stream name
     * @param video  the file to loop, e.g. from {@code io.argus.extractor.samples.SampleVideos.h264Loop}
     * @return the publisher process; close it to end the stream (an outage)
     * @throws IOException when ffmpeg is missing or the stream does not appear within 10 s
     */
    public ExternalProcess publish(String stream, Path video) throws IOException {
        ExternalProcess p = ExternalProcess.start("ffmpeg publisher " + stream,
                runDir.resolve("publisher-" + stream + ".log"), List.of(
                        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "warning", "-re", "-stream_loop", "-1",
                        "-i", video.toAbsolutePath().toString(), "-an", "-c:v", "copy", "-f", "flv", url(stream)));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!publishing(stream)) {
            if (!p.alive() || System.nanoTime() > deadline) {
                p.close();
                throw new IOException("stream " + stream + " not published; see " + p.log());
            }
            ExternalProcess.sleep(50);
        }
        return p;
    }

    /**
     * @param stream stream name
     * @return true when a publisher is publishing the stream
     * @throws IOException when the stat page cannot be read
     */
    public boolean publishing(String stream) throws IOException {
        String body = streamStat(stream);
        return body != null && body.contains("<publishing/>");
    }

    /**
     * @param stream stream name
     * @return clients playing (reading) the stream now, publishers not counted
     * @throws IOException when the stat page cannot be read
     */
    public int players(String stream) throws IOException {
        String body = streamStat(stream);
        if (body == null) {
            return 0;
        }
        int players = 0;
        Matcher m = CLIENT.matcher(body);
        while (m.find()) {
            if (!m.group(1).contains("<publishing/>")) {
                players++;
            }
        }
        return players;
    }

    private String streamStat(String stream) throws IOException {
        String xml = stat();
        Matcher m = STREAM.matcher(xml);
        while (m.find()) {
            if (m.group(1).equals(stream)) {
                return m.group(2);
            }
        }
        return null;
    }

    /**
     * @return the rtmp_stat XML page
     * @throws IOException when it cannot be fetched
     */
    public String stat() throws IOException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/stat")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** @return the directory holding configuration and logs */
    public Path runDir() {
        return runDir;
    }

    /** Stops nginx (publishers are the caller's to close). */
    @Override
    public void close() {
        nginx.close();
    }
}
