package io.argus.edge.submit;

import java.time.Duration;


import io.argus.schemas.avro.JobControl;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topic;
import io.argus.schemas.topics.Topics;

/**
 * Writes job control commands to the control topic ({@link Topics#control()}), keyed by job id,
 * with one idempotent producer (acks=all, {@link KafkaSettings#producer}); {@link #send} waits for
 * the acknowledgement, bounded by the timeout.
 *
 * <p>The producer is created in the constructor without contacting the brokers, so an unreachable
 * bootstrap never blocks construction; {@link #send} then fails after at most the timeout.
 */
public final class KafkaControlSink implements ControlSink {

    /** Default bound on one send (metadata wait + delivery). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Topic<String, JobControl> topic;
    private final AckedProducer producer;

    /**
     * @param topics   topic registry (the control topic and its serde)
     * @param settings Kafka connection settings
     */
    public KafkaControlSink(Topics topics, KafkaSettings settings) {
        this(topics, settings, DEFAULT_TIMEOUT);
    }

    /**
     * @param topics   topic registry (the control topic and its serde)
     * @param settings Kafka connection settings
     * @param timeout  bound on one send (metadata wait + delivery); at least 1 s
     */
    public KafkaControlSink(Topics topics, KafkaSettings settings, Duration timeout) {
        this.topic = topics.control();
        this.producer = new AckedProducer(settings, "argus-api-edge-control", timeout);
    }

    @Override
    public void send(JobControl command) {
        String jobId = command.getJobId();
        try {
            producer.write(topic, jobId, command);
        } catch (RuntimeException e) {
            throw new ControlSinkException("Cannot write " + command.getAction() + " of job " + jobId + ": "
                    + e.getMessage(), e);
        }
    }

    /** Closes the producer, waiting at most 5 s for pending sends. */
    @Override
    public void close() {
        producer.close();
    }
}
