package io.argus.edge.files;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * The edge's in-memory view of the files of the media API, rebuilt from the compacted
 * {@code argus.files} topic at start (Kafka is the source of truth): one consumer without a group,
 * assigned every partition, reading from the beginning and following; a record puts a file, a
 * tombstone (null value) removes it. {@link #caughtUp()} completes once the view has read up to the
 * end offsets seen at start. Writes of this instance are also applied at once ({@link #put},
 * {@link #remove}) so that a client reads its own upload or delete.
 */
public final class FileView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileView.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(2);

    private final Topics topics;
    private final KafkaSettings settings;
    private final Map<String, FileInfo> files = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Deserializer<FileInfo> reader;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    /**
     * @param topics   topic registry ({@link Topics#files()})
     * @param settings Kafka connection settings
     */
    public FileView(Topics topics, KafkaSettings settings) {
        this.topics = topics;
        this.settings = settings;
        this.reader = topics.files().valueSerde().deserializer();
        this.thread = new Thread(this::run, "argus-edge-file-view");
        this.thread.setDaemon(true);
    }

    /** Starts reading the topic from its beginning. */
    public void start() {
        Properties p = settings.consumer("unused", "argus-api-edge-files-" + UUID.randomUUID().toString().substring(0, 8));
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        thread.start();
    }

    /** @return completes once the records present at start are applied */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /**
     * @param fileUuid a file id
     * @return the file, unless unknown or deleted
     */
    public Optional<FileInfo> get(String fileUuid) {
        return Optional.ofNullable(files.get(fileUuid));
    }

    /**
     * @param jobId a job id
     * @return the file whose analysis (or traffic) job it is, if any (a scan of the view)
     */
    public Optional<FileInfo> ofJob(String jobId) {
        return files.values().stream().filter(f -> jobId.equals(f.getJobId())).findFirst();
    }

    /** @return every file, newest first */
    public List<FileInfo> all() {
        List<FileInfo> out = new ArrayList<>(files.values());
        out.sort(Comparator.comparingLong(FileInfo::getCreatedAt).reversed().thenComparing(FileInfo::getFileUuid));
        return out;
    }

    /** @param file a file written to the topic by this instance */
    public void put(FileInfo file) {
        files.put(file.getFileUuid(), file);
    }

    /** @param fileUuid a file deleted (tombstoned) by this instance */
    public void remove(String fileUuid) {
        files.remove(fileUuid);
    }

    private void run() {
        Map<TopicPartition, Long> targets = null;
        try {
            while (running) {
                try {
                    if (targets == null) {
                        List<PartitionInfo> parts = consumer.partitionsFor(topics.files().name(), METADATA_TIMEOUT);
                        if (parts == null || parts.isEmpty()) {
                            Thread.sleep(POLL.toMillis());
                            continue;
                        }
                        List<TopicPartition> tps = parts.stream()
                                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                        consumer.assign(tps);
                        consumer.seekToBeginning(tps);
                        targets = new HashMap<>(consumer.endOffsets(tps, METADATA_TIMEOUT));
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                        apply(r);
                    }
                    if (!caughtUp.isDone() && targets.entrySet().stream()
                            .allMatch(t -> consumer.position(t.getKey(), METADATA_TIMEOUT) >= t.getValue())) {
                        LOG.info("File view caught up: {} file(s)", files.size());
                        caughtUp.complete(null);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.warn("File view: Kafka error, retrying: {}", e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("File view woken up unexpectedly; stopping", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("File view stopped", e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("Closing the file view consumer", e);
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            files.remove(r.key());
            return;
        }
        try {
            files.put(r.key(), reader.deserialize(r.topic(), r.value()));
        } catch (RuntimeException e) {
            LOG.warn("File view: skipping undecodable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    e.toString());
        }
    }

    /** Stops the consumer thread (waits up to 10 s). */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c == null) {
            return;
        }
        c.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
