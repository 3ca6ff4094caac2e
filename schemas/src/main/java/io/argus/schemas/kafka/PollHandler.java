package io.argus.schemas.kafka;

import java.time.Duration;
import java.util.Collection;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * What a {@link PollLoop} does with its consumer: every method but {@link #beforeClose()} runs on
 * the loop's thread, the only thread that touches the consumer, so implementations need no
 * locking for state they keep between polls. A {@link RuntimeException} from any of them (or from
 * the poll) ends the loop and is logged; see {@link PollLoop} for the order of the calls.
 *
 * @param <K> record key type
 * @param <V> record value type
 */
public interface PollHandler<K, V> {

    /**
     * Runs once before the first poll: set up the consumer when the loop does not subscribe (assign
     * partitions, seek), or wait for what the first poll needs.
     *
     * @throws InterruptedException when interrupted: the loop ends without {@link #onStop}
     */
    default void onStart() throws InterruptedException {
    }

    /**
     * Asked before every poll, so the wait may depend on the work in hand.
     *
     * @return how long the next poll may wait for records, &gt;= 0
     */
    Duration pollTimeout();

    /**
     * Handles what a poll returned. Called after every poll, also when it returned nothing, so
     * that periodic work (commits, flushes, pausing partitions) needs no timer.
     *
     * @param records the polled records, possibly none
     * @throws InterruptedException when interrupted: the loop ends without {@link #onStop}
     */
    void onPoll(ConsumerRecords<K, V> records) throws InterruptedException;

    /**
     * Partitions were assigned in a rebalance, inside a poll, before their records are fetched.
     * Only for a loop started with {@link PollLoop#start(Collection)}.
     *
     * @param partitions the newly assigned partitions, possibly none
     */
    default void onAssigned(Collection<TopicPartition> partitions) {
    }

    /**
     * Partitions are taken away in a rebalance, inside a poll: the last chance to commit their
     * offsets. Also called for partitions lost without a rebalance (the default of
     * {@link org.apache.kafka.clients.consumer.ConsumerRebalanceListener#onPartitionsLost}), whose
     * commit then fails. Only for a loop started with {@link PollLoop#start(Collection)}.
     *
     * @param partitions the revoked partitions
     */
    default void onRevoked(Collection<TopicPartition> partitions) {
    }

    /**
     * Runs once when the loop ends because {@link PollLoop#stop()} (or {@code close()}) was called:
     * final commits. Not called when the loop ended on an exception. When the loop saw the stop
     * between two polls, the stop's wake-up is still pending: the first blocking consumer call
     * (e.g. {@code commitSync}) throws {@link org.apache.kafka.common.errors.WakeupException},
     * which, if not caught here, ends this call quietly.
     *
     * @param wokenUp true when the stop woke a poll (or another blocking consumer call) in progress,
     *                which threw {@link org.apache.kafka.common.errors.WakeupException}; false when
     *                the loop saw the stop between two polls
     * @throws InterruptedException when interrupted
     */
    default void onStop(boolean wokenUp) throws InterruptedException {
    }

    /**
     * Runs once in {@link PollLoop#close()}, on the closing thread, after the loop's thread ended
     * (or the wait for it timed out) and before the consumer is closed: release what the loop fed
     * (e.g. a worker pool) while this instance still holds its partitions.
     */
    default void beforeClose() {
    }
}
