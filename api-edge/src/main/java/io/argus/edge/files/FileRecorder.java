package io.argus.edge.files;

import java.time.Duration;

import io.argus.edge.submit.AckedProducer;
import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * Records files of the media API: writes a {@link FileInfo} (or its tombstone) to the compacted
 * {@code argus.files} topic, waits for the broker's acknowledgement, then applies it to this
 * instance's {@link FileView} so that the caller reads its own write. Used by the media API's
 * uploads and by the traffic API, whose uploads are files too. Thread-safe.
 */
public final class FileRecorder implements AutoCloseable {

    private final FileView view;
    private final Topics topics;
    private final AckedProducer producer;

    /**
     * @param view   the file view the writes are applied to
     * @param topics topic registry ({@link Topics#files()})
     * @param kafka  connection settings
     */
    public FileRecorder(FileView view, Topics topics, KafkaSettings kafka) {
        this.view = view;
        this.topics = topics;
        this.producer = new AckedProducer(kafka, "argus-api-edge-files", Duration.ofSeconds(30));
    }

    /** @return the view the writes are applied to */
    public FileView view() {
        return view;
    }

    /** @return the topic's name, for messages */
    public String topic() {
        return topics.files().name();
    }

    /**
     * @param file the file to record (keyed by its file_uuid)
     * @throws RuntimeException when Kafka does not acknowledge the write in 30 s (nothing is applied)
     */
    public void record(FileInfo file) {
        producer.write(topics.files(), file.getFileUuid(), file);
        view.put(file);
    }

    /**
     * @param fileUuid the file to forget (a tombstone: compaction removes its records)
     * @throws RuntimeException when Kafka does not acknowledge the write in 30 s
     */
    public void remove(String fileUuid) {
        producer.write(topics.files(), fileUuid, null);
        view.remove(fileUuid);
    }

    /** Closes the producer (not the view). */
    @Override
    public void close() {
        producer.close();
    }
}
