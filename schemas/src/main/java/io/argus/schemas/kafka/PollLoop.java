package io.argus.schemas.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.metrics.ArgusMeters;
import io.argus.schemas.metrics.ConsumerLag;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * The thread that owns a Kafka consumer and polls it until stopped, handing what it polls to a
 * {@link PollHandler}. On that thread, in order: {@link PollHandler#onStart()}, then while not
 * stopped {@link PollHandler#pollTimeout()}, {@code poll}, {@link PollHandler#onPoll} (rebalance
 * callbacks run inside the poll), then {@link PollHandler#onStop} once stopped.
 *
 * <p>{@link #stop()} ends the loop after the call in progress and wakes the consumer
 * ({@link Consumer#wakeup()}), so a blocking poll or commit returns at once with a
 * {@link WakeupException}. A {@link RuntimeException} from the consumer or the handler ends the
 * loop, is logged as an error and kept ({@link #failure()}); the consumer then stays open, its
 * partitions unpolled, until {@link #close()}. A loop interrupted (an {@link InterruptedException}
 * from the handler) ends quietly with its thread's interrupt flag set.
 *
 * <p>A loop started with {@link #start(Collection)} subscribes (a consumer group member) and is
 * closed leaving its group ({@link KafkaSettings#closeLeavingGroup}), so a static member hands its
 * partitions over at once; one started with {@link #start()} reads what its handler assigns in
 * {@link PollHandler#onStart()} and is closed plainly.
 *
 * @param <K> record key type
 * @param <V> record value type
 */
public final class PollLoop<K, V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);

    private final String name;
    private final Consumer<K, V> consumer;
    private final PollHandler<K, V> handler;
    private final Duration joinTimeout;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean subscribed;
    private volatile RuntimeException failure;
    private volatile ConsumerLag lag;
    private volatile KafkaClientMetrics clientMetrics;

    /**
     * @param name        the loop's name, also its thread's (e.g. {@code argus-flow-poll-0})
     * @param consumer    the consumer, used from then on only by the loop's thread and
     *                    {@link #close()}
     * @param handler     what to do with the polled records
     * @param joinTimeout how long {@link #close()} waits for the loop's thread to end, e.g. for
     *                    the final commits of {@link PollHandler#onStop}
     * @param daemon      whether the loop's thread is a daemon thread (does not keep the JVM up)
     */
    public PollLoop(String name, Consumer<K, V> consumer, PollHandler<K, V> handler, Duration joinTimeout,
                    boolean daemon) {
        this.name = name;
        this.consumer = consumer;
        this.handler = handler;
        this.joinTimeout = joinTimeout;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(daemon);
    }

    /**
     * Publishes the consumer's client meters ({@code kafka.consumer.*}, Micrometer's
     * {@link KafkaClientMetrics}) and its lag ({@value ArgusMeters#CONSUMER_LAG}, read after every
     * poll on the loop's thread: {@link ConsumerLag}). Call before the loop starts; the client
     * meters are removed when it closes.
     *
     * @param registry where the meters go
     * @param group    the consumer group named in the lag's {@code group} tag
     * @return this loop
     */
    public PollLoop<K, V> measuredIn(MeterRegistry registry, String group) {
        this.lag = new ConsumerLag(registry, group);
        KafkaClientMetrics m = new KafkaClientMetrics(consumer);
        m.bindTo(registry);
        this.clientMetrics = m;
        return this;
    }

    /** @return the loop's name, also its thread's */
    public String name() {
        return name;
    }

    /**
     * Subscribes the consumer to the topics, with the handler's rebalance callbacks, and starts
     * the loop's thread. Call once.
     *
     * @param topics topics to consume as a member of the consumer's group
     * @throws IllegalThreadStateException when already started
     */
    public void start(Collection<String> topics) {
        subscribed = true;
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                LOG.debug("{}: partitions revoked {}", name, partitions);
                handler.onRevoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                LOG.debug("{}: partitions assigned {}", name, partitions);
                handler.onAssigned(partitions);
            }
        });
        thread.start();
    }

    /**
     * Starts the loop's thread without subscribing: the handler assigns partitions in
     * {@link PollHandler#onStart()}. Call once.
     *
     * @throws IllegalThreadStateException when already started
     */
    public void start() {
        thread.start();
    }

    /**
     * @return true until {@link #stop()} or {@link #close()} is called (also while a loop that
     *         ended on an exception has not been stopped), so work fed by the loop can tell a
     *         shutdown
     */
    public boolean isRunning() {
        return running.get();
    }

    /** @return the exception that ended the loop, if one did */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Asks the loop to end, without waiting: it ends after the handler call in progress, or at
     * once when the consumer is blocked in a poll or a commit (woken up). Any thread; idempotent.
     */
    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    /**
     * Stops the loop, waits up to the join timeout for its thread to end, runs
     * {@link PollHandler#beforeClose()} and closes the consumer (leaving its group when the loop
     * subscribed). Idempotent; from the loop's own thread it does not wait for itself.
     */
    @Override
    public void close() {
        stop();
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(joinTimeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("{} still running {} ms after it was stopped; closing its consumer anyway", name,
                        joinTimeout.toMillis());
            }
        }
        KafkaClientMetrics m = clientMetrics;
        if (m != null) {
            m.close();
        }
        try {
            handler.beforeClose();
        } finally {
            if (subscribed) {
                KafkaSettings.closeLeavingGroup(consumer);
            } else {
                consumer.close();
            }
        }
    }

    private void run() {
        boolean wokenUp = false;
        try {
            handler.onStart();
            while (running.get()) {
                ConsumerRecords<K, V> records = consumer.poll(handler.pollTimeout());
                ConsumerLag l = lag;
                if (l != null) {
                    l.update(consumer);
                }
                handler.onPoll(records);
            }
        } catch (WakeupException e) {
            wokenUp = true; // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        try {
            handler.onStop(wokenUp);
        } catch (WakeupException e) {
            // the stop's wake-up was still pending: a final commit was cut short
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void fail(RuntimeException e) {
        failure = e;
        LOG.error("Poll loop {} stopped", name, e);
    }
}
