package io.argus.ingest;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.topics.Topic;

/**
 * Sends frame events to the frames topic with a shared idempotent producer (acks=all), keyed by
 * job id. A send failure is reported by the next {@link #flush()}.
 */
public final class KafkaFrameSink implements FrameSink {

    private final Producer<String, FrameEvent> producer;
    private final Topic<String, FrameEvent> topic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /**
     * @param producer shared producer
     * @param topic    the frames topic
     */
    public KafkaFrameSink(Producer<String, FrameEvent> producer, Topic<String, FrameEvent> topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void send(FrameEvent event) {
        producer.send(new ProducerRecord<>(topic.name(), event.getJobId(), event), (md, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    /**
     * @throws IllegalStateException when a send failed
     */
    @Override
    public void flush() {
        producer.flush();
        Exception e = failure.getAndSet(null);
        if (e != null) {
            throw new IllegalStateException("frame events not delivered: " + e.getMessage(), e);
        }
    }
}
