package io.argus.launcher.cluster;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

import io.argus.testkit.servers.ExternalProcess;

/**
 * A KRaft Kafka cluster of separate JVMs on 127.0.0.1, from the jars on this test's classpath
 * (kafka_2.13 from Maven Central): every node is broker and controller of a static quorum,
 * formatted with {@code kafka.tools.StorageTool} and run with {@code kafka.Kafka}, with
 * replication 3 and min ISR 2 for internal topics.
 */
final class KafkaCluster implements AutoCloseable {

    private final Path dir;
    private final int nodes;
    private final int[] brokerPorts;
    private final int[] controllerPorts;
    private final ExternalProcess[] processes;
    private final String clusterId = Uuid.randomUuid().toString();

    KafkaCluster(Path dir, int nodes) throws IOException {
        this.dir = dir;
        this.nodes = nodes;
        this.brokerPorts = new int[nodes];
        this.controllerPorts = new int[nodes];
        this.processes = new ExternalProcess[nodes];
        for (int i = 0; i < nodes; i++) {
            brokerPorts[i] = ExternalProcess.freePort();
            controllerPorts[i] = ExternalProcess.freePort();
        }
    }

    /** Formats every node and starts them; returns when all accept connections and see each other. */
    KafkaCluster start() throws Exception {
        for (int n = 1; n <= nodes; n++) {
            Path props = writeProps(n);
            Process format = new ProcessBuilder(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("node-" + n + "-format.log").toFile()).start();
            if (format.waitFor() != 0) {
                throw new IOException("formatting node " + n + " failed: "
                        + Files.readString(dir.resolve("node-" + n + "-format.log")));
            }
        }
        for (int n = 1; n <= nodes; n++) {
            startNode(n);
        }
        for (int n = 1; n <= nodes; n++) {
            ExternalProcess.awaitPort(brokerPorts[n - 1], Duration.ofSeconds(90), processes[n - 1]);
        }
        awaitBrokers(nodes, Duration.ofSeconds(180));
        return this;
    }

    /** Starts node n (1-based) again after {@link #kill(int)}. */
    void startNode(int n) throws IOException {
        processes[n - 1] = ExternalProcess.start("kafka-" + n, dir.resolve("node-" + n + ".log"),
                List.of(java(), "-Xms128m", "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                        "kafka.Kafka", dir.resolve("node-" + n + ".properties").toString()));
    }

    /** kill -9 of node n (1-based). */
    void kill(int n) {
        processes[n - 1].kill();
    }

    /** Waits until the cluster reports {@code count} brokers. */
    void awaitBrokers(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    if (admin.describeCluster().nodes().get().size() >= count) {
                        return;
                    }
                } catch (Exception e) {
                    // not up yet
                }
                if (System.nanoTime() > deadline) {
                    StringBuilder logs = new StringBuilder();
                    for (int n = 1; n <= nodes; n++) {
                        Path log = dir.resolve("node-" + n + ".log");
                        if (Files.exists(log)) {
                            List<String> lines = Files.readAllLines(log);
                            logs.append("\nnode ").append(n).append(":\n").append(String.join("\n",
                                    lines.subList(Math.max(0, lines.size() - 15), lines.size())));
                        }
                    }
                    throw new IllegalStateException("cluster did not reach " + count + " brokers" + logs);
                }
                Thread.sleep(200);
            }
        }
    }

    String bootstrap() {
        List<String> s = new ArrayList<>();
        for (int port : brokerPorts) {
            s.add("127.0.0.1:" + port);
        }
        return String.join(",", s);
    }

    private Path writeProps(int n) throws IOException {
        Path data = Files.createDirectories(dir.resolve("node-" + n));
        List<String> voters = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            voters.add(i + "@127.0.0.1:" + controllerPorts[i - 1]);
        }
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(n));
        p.put("controller.quorum.voters", String.join(",", voters));
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[n - 1] + ",CONTROLLER://127.0.0.1:" + controllerPorts[n - 1]);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[n - 1]);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", data.toString());
        p.put("num.partitions", "4");
        p.put("default.replication.factor", "3");
        p.put("min.insync.replicas", "2");
        p.put("offsets.topic.replication.factor", "3");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "3");
        p.put("transaction.state.log.min.isr", "2");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "3");
        p.put("share.coordinator.state.topic.min.isr", "2");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("message.max.bytes", "16778240");
        p.put("replica.fetch.max.bytes", "16778240");
        p.put("log.cleaner.dedupe.buffer.size", "8388608");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        Path file = dir.resolve("node-" + n + ".properties");
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "Argus test cluster node " + n);
        }
        return file;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        for (ExternalProcess p : processes) {
            if (p != null) {
                p.close();
            }
        }
    }
}
