package io.argus.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * An in-process single-node KRaft Kafka broker (combined broker + controller) on 127.0.0.1,
 * with its log under a data directory. The directory is formatted once (skipped when
 * {@code meta.properties} exists), so restarting on the same directory keeps topics, records
 * and committed offsets; the port is kept in {@code port} beside the logs for the same reason.
 *
 * <p>The broker owns its directory: it takes an exclusive lock on {@code .lock} there before
 * writing anything (the port file included) and holds it until {@link #close()}, so a second
 * broker on the same directory, in this process or another, fails at once and leaves the first
 * one's files alone.
 *
 * <p>Kafka's internal server APIs ({@code KafkaRaftServer}, {@code Formatter}) are used here
 * and nowhere else. Single-node settings (DESIGN.md "Kafka"): internal topics with replication 1,
 * transaction min ISR 1, no initial rebalance delay, a small log-cleaner dedupe buffer.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private KafkaRaftServer server;

    /**
     * @param dir  data directory of the broker (created when missing)
     * @param port client port, 0 to reuse the port of a previous run or pick a free one
     * @throws IllegalStateException when another broker (in any process) holds the directory
     * @throws UncheckedIOException when the directory cannot be prepared
     */
    public EmbeddedKafka(Path dir, int port) {
        this.dir = dir.toAbsolutePath();
        try {
            Files.createDirectories(this.dir);
            lockChannel = FileChannel.open(this.dir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                lockChannel.close();
                throw new IllegalStateException("Kafka data directory " + this.dir
                        + " is in use by another broker");
            }
            lock = l;
            Path portFile = this.dir.resolve("port");
            int chosen = port;
            if (chosen == 0 && Files.exists(portFile)) {
                chosen = Integer.parseInt(Files.readString(portFile).trim());
                if (!free(chosen)) {
                    chosen = 0;
                }
            }
            this.port = chosen != 0 ? chosen : freePort();
            Files.writeString(portFile, Integer.toString(this.port));
            this.controllerPort = freePort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data directory " + dir, e);
        }
    }

    private void unlock() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }

    /**
     * Formats the log directory when new and starts the broker.
     *
     * @return this
     * @throws IllegalStateException when the broker cannot start
     */
    public EmbeddedKafka start() {
        Path logs = dir.resolve("logs");
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logs.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        props.put("num.partitions", "4");
        props.put("auto.create.topics.enable", "false");
        props.put("message.max.bytes", Integer.toString(16 * 1024 * 1024 + 1024));
        props.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        try {
            if (!Files.exists(logs.resolve("meta.properties"))) {
                new Formatter()
                        .setClusterId(Uuid.randomUuid().toString())
                        .setNodeId(1)
                        .setDirectories(List.of(logs.toString()))
                        .setMetadataLogDirectory(logs.toString())
                        .setControllerListenerName("CONTROLLER")
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                        .run();
            }
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("embedded Kafka failed to start in " + dir + ": " + e.getMessage(), e);
        }
        LOG.info("Embedded Kafka broker on 127.0.0.1:{} (data in {})", port, dir);
        return this;
    }

    /** @return bootstrap.servers for clients */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker, waits for it and releases the directory. */
    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
        if (lock.isValid()) {
            unlock();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
