package io.argus.launcher.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.argus.testkit.kafka.EmbeddedKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code argus broker}: the embedded single-node KRaft broker alone, for stages started as their
 * own processes on this machine ({@code argus server --stages … --bootstrap-servers 127.0.0.1:PORT}).
 * It holds the data directory's lock ({@link DataDirLock}) and records its address in
 * {@code <data-dir>/server.json}.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run only the embedded Kafka broker (single-node KRaft) on 127.0.0.1, for stages started "
                + "as separate processes with --bootstrap-servers.")
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "${env:ARGUS_DATA_DIR:-data}",
            description = "The broker keeps its log in <data-dir>/kafka (env ARGUS_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "${env:ARGUS_KAFKA_PORT:-0}",
            description = "Client port; 0 reuses the port of the previous run, else picks a free one (env ARGUS_KAFKA_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        DataDirLock lock = DataDirLock.acquire(dataDir, "stop it, or give another --data-dir");
        EmbeddedKafka broker;
        try {
            broker = new EmbeddedKafka(lock.dataDir().resolve("kafka"), port).start();
            lock.record(ServerRecord.ofThisProcess("broker", null, broker.bootstrapServers()));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            lock.close();
            stop.countDown();
        }));
        System.out.printf("Kafka broker on %s (data in %s). Start stages with --bootstrap-servers %s. Ctrl-C stops.%n",
                broker.bootstrapServers(), lock.dataDir().resolve("kafka"), broker.bootstrapServers());
        stop.await();
        return 0;
    }
}
