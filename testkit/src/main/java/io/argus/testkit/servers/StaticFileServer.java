package io.argus.testkit.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A plain static file server for benchmarks: Debian's nginx serving one directory on 127.0.0.1
 * with {@code sendfile on} (the kernel copies file to socket), its configuration, pid file and
 * logs in a run directory (never the system's), its process running as the current user (so that it
 * reads files the caller's temporary directories hold; nginx ignores that directive unless
 * started as root). It answers ranges and {@code HEAD} as nginx does for static files. One process
 * ({@code master_process off}), as one worker would serve, so the kernel kills it with a JVM killed
 * with SIGKILL ({@link ExternalProcess}); a forked worker would outlive it. Needs {@code nginx}
 * installed.
 */
public final class StaticFileServer implements AutoCloseable {

    private final int port;
    private final ExternalProcess nginx;

    private StaticFileServer(int port, ExternalProcess nginx) {
        this.port = port;
        this.nginx = nginx;
    }

    /**
     * Writes the configuration and starts nginx on a free loopback port.
     *
     * @param root   the directory served at {@code /}
     * @param runDir directory for configuration, pid file, temp files and logs
     * @return the running server
     * @throws IOException when nginx is missing or does not listen within 10 s
     */
    public static StaticFileServer start(Path root, Path runDir) throws IOException {
        Files.createDirectories(runDir.resolve("tmp"));
        int port = ExternalProcess.freePort();
        Path conf = runDir.resolve("nginx.conf");
        Files.writeString(conf, """
                user %4$s;
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/nginx-error.log warn;
                events { worker_connections 256; }
                http {
                  access_log off;
                  sendfile on;
                  tcp_nopush on;
                  client_body_temp_path %1$s/tmp/body;
                  proxy_temp_path %1$s/tmp/proxy;
                  fastcgi_temp_path %1$s/tmp/fastcgi;
                  uwsgi_temp_path %1$s/tmp/uwsgi;
                  scgi_temp_path %1$s/tmp/scgi;
                  types { video/mp4 mp4; }
                  default_type application/octet-stream;
                  server {
                    listen 127.0.0.1:%2$d;
                    root %3$s;
                  }
                }
                """.formatted(runDir.toAbsolutePath(), port, root.toAbsolutePath(), System.getProperty("user.name")));
        ExternalProcess nginx = ExternalProcess.start("nginx static", runDir.resolve("nginx-stdout.log"), List.of(
                "nginx", "-p", runDir.toAbsolutePath().toString(), "-e", runDir.resolve("nginx-error.log").toString(),
                "-c", conf.toAbsolutePath().toString()));
        try {
            ExternalProcess.awaitPort(port, Duration.ofSeconds(10), nginx);
        } catch (IOException e) {
            nginx.close();
            throw e;
        }
        return new StaticFileServer(port, nginx);
    }

    /**
     * @param name a file name under the root
     * @return {@code http://127.0.0.1:<port>/<name>}
     */
    public String url(String name) {
        return "http://127.0.0.1:" + port + "/" + name;
    }

    /** Stops nginx. */
    @Override
    public void close() {
        nginx.close();
    }
}
