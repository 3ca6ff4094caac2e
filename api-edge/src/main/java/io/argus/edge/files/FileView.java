package io.argus.edge.files;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.edge.view.TopicFollower;
import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * The edge's in-memory view of the files of the media API, rebuilt from the compacted
 * {@code argus.files} topic at start (Kafka is the source of truth): a {@link TopicFollower} reads
 * every partition from the beginning and follows; a record puts a file, a tombstone (null value)
 * removes it. {@link #caughtUp()} completes once the view has read up to the end offsets seen at
 * start. Writes of this instance are also applied at once ({@link #put}, {@link #remove}) so that a
 * client reads its own upload or delete.
 */
public final class FileView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileView.class);

    private final Map<String, FileInfo> files = new ConcurrentHashMap<>();
    private final Deserializer<FileInfo> reader;
    private final TopicFollower follower;

    /**
     * @param topics   topic registry ({@link Topics#files()})
     * @param settings Kafka connection settings
     */
    public FileView(Topics topics, KafkaSettings settings) {
        this.reader = topics.files().valueSerde().deserializer();
        this.follower = new TopicFollower(topics.files().name(), "files", settings, this::apply);
    }

    /** Starts reading the topic from its beginning. */
    public void start() {
        follower.start();
    }

    /** @return completes once the records present at start are applied */
    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
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

    /** Stops following the topic (waits up to 10 s). */
    @Override
    public void close() {
        follower.close();
    }
}
