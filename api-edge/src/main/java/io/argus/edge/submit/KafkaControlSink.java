package io.argus.edge.submit;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

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
    private final Duration timeout;
    private final KafkaProducer<String, byte[]> producer;

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
        this.timeout = timeout.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : timeout;
        Properties p = settings.producer("argus-api-edge-control", null);
        long ms = this.timeout.toMillis();
        int request = (int) Math.max(500, ms / 2);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, request);
        // delivery.timeout.ms must be >= linger.ms + request.timeout.ms
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(ms, request + 100));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void send(JobControl command) {
        String jobId = command.getJobId();
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), command);
        try {
            producer.send(new ProducerRecord<>(topic.name(), jobId, bytes))
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ControlSinkException("Cannot write " + command.getAction() + " of job " + jobId + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new ControlSinkException("Cannot write " + command.getAction() + " of job " + jobId
                    + ": no ack from Kafka within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlSinkException("Interrupted while writing " + command.getAction() + " of job " + jobId, e);
        } catch (RuntimeException e) {
            throw new ControlSinkException("Cannot write " + command.getAction() + " of job " + jobId + ": " + e, e);
        }
    }

    /** Closes the producer, waiting at most 5 s for pending sends. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
