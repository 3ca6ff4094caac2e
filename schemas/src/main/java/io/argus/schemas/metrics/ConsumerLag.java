package io.argus.schemas.metrics;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The lag of one consumer group member ({@value ArgusMeters#CONSUMER_LAG}, tag {@code group}): the
 * records between its position and the end of each partition it is assigned, summed, as the
 * consumer last saw them ({@link Consumer#currentLag}: the fetch responses' high watermarks, or the
 * last stable offsets under read_committed; no request to the broker).
 *
 * <p>A consumer is not thread-safe, so the poll thread calls {@link #update} after each poll and
 * the gauge reads the last value. Partitions whose lag the consumer does not know yet (nothing
 * fetched since assignment) count as 0.
 */
public final class ConsumerLag {

    private final AtomicLong lag = new AtomicLong();

    /**
     * @param registry where the gauge goes
     * @param group    the consumer group (or, for a consumer without a group, a name for it)
     */
    public ConsumerLag(MeterRegistry registry, String group) {
        Gauge.builder(ArgusMeters.CONSUMER_LAG, lag, AtomicLong::get)
                .description("Records between the consumer's position and the end of its assigned partitions")
                .tag("group", group)
                .register(registry);
    }

    /**
     * Reads the lag of every assigned partition; call from the consumer's own thread.
     *
     * @param consumer the consumer, after a poll
     * @return the summed lag, in records
     */
    public long update(Consumer<?, ?> consumer) {
        long sum = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                sum += l.getAsLong();
            }
        }
        lag.set(sum);
        return sum;
    }

    /** @return the last summed lag, in records */
    public long value() {
        return lag.get();
    }
}
