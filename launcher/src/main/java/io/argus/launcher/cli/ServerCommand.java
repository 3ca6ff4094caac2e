package io.argus.launcher.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code argus server}: every stage and the HTTP API in this JVM, until interrupted. With the
 * embedded broker it holds the data directory's lock ({@link DataDirLock}) and records its HTTP
 * address and broker in {@code <data-dir>/server.json} ({@link ServerRecord}), removed on a clean
 * exit; {@code argus analyze} and {@code argus results} find it there.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run every stage and the HTTP API (embedded Kafka unless --bootstrap-servers is given).")
public final class ServerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "${env:ARGUS_HTTP_PORT:-8080}", description = "HTTP port, 0 for any free port (env ARGUS_HTTP_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "${env:ARGUS_HTTP_HOST:-127.0.0.1}", description = "HTTP bind address (env ARGUS_HTTP_HOST, default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--stages", defaultValue = "${env:ARGUS_STAGES:-all}",
            description = "Stages this process runs: all, or a comma-separated list of ingest, analyzer, flow, aggregator, edge (env ARGUS_STAGES, default ${DEFAULT-VALUE}). A subset needs --bootstrap-servers.")
    String stages;

    @Option(names = "--metrics-port", defaultValue = "${env:ARGUS_METRICS_PORT:--1}",
            description = "Without the edge stage: serve GET /metrics (Prometheus text) on this port of --host, 0 for any free port (env ARGUS_METRICS_PORT, default off). With the edge, /metrics is on --port.")
    int metricsPort;

    @Option(names = "--allow-anonymous", defaultValue = "${env:ARGUS_ALLOW_ANONYMOUS:-false}",
            description = "Serve the HTTP API without API keys on an address other than loopback (env ARGUS_ALLOW_ANONYMOUS). Without it, a non-loopback --host without API keys refuses to start.")
    boolean allowAnonymous;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        var config = runtime.toConfig(host, port, Stage.parse(stages)).withMetricsPort(metricsPort)
                .withAllowAnonymous(allowAnonymous);
        // the embedded broker's data directory is this process's alone; stages given a cluster may share one
        DataDirLock lock = config.embeddedKafka()
                ? DataDirLock.acquire(runtime.dataDir, "stop it, or give another --data-dir") : null;
        ArgusRuntime rt;
        try {
            rt = ArgusRuntime.start(config);
            if (lock != null) {
                lock.record(ServerRecord.ofThisProcess("server",
                        rt.httpPort() >= 0 ? ServerRecord.httpUrl(host, rt.httpPort()) : null,
                        rt.kafka().bootstrapServers()));
            }
        } catch (Exception e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            rt.close();
            if (lock != null) {
                lock.close();
            }
            stop.countDown();
        }));
        if (rt.httpPort() >= 0) {
            System.out.printf("Argus listening on http://%s:%d (ops: %s). Ctrl-C stops.%n", host, rt.httpPort(),
                    String.join(", ", rt.ops().names()));
        } else {
            System.out.printf("Argus stages %s running%s. Ctrl-C stops.%n", rt.stages(), rt.metricsPort() >= 0
                    ? ", metrics on http://" + host + ":" + rt.metricsPort() + "/metrics" : "");
        }
        stop.await();
        return 0;
    }
}
