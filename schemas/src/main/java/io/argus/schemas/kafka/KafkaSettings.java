package io.argus.schemas.kafka;

import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How every Argus stage reaches Kafka: bootstrap servers, topic layout, and the client settings
 * the stages share (idempotent producers with acks=all, read_committed consumers).
 *
 * @param bootstrapServers  comma-separated host:port list
 * @param partitions        partitions of topics Argus creates (the unit of scaling out)
 * @param replicationFactor replication of topics Argus creates (1 on the embedded broker)
 */
public record KafkaSettings(String bootstrapServers, int partitions, short replicationFactor) {

    /** @return properties for an admin client */
    public Properties admin() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /**
     * Producer properties: idempotent, acks=all, lz4, linger 5 ms.
     *
     * @param clientId        client.id
     * @param transactionalId transactional.id, or null for a non-transactional producer
     * @return properties without serializers (pass serdes to the constructor)
     */
    public Properties producer(String clientId, String transactionalId) {
        Properties p = admin();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return p;
    }

    /**
     * Consumer properties: manual commits, read_committed, earliest reset.
     *
     * @param groupId consumer group
     * @param clientId client.id
     * @return properties without deserializers
     */
    public Properties consumer(String groupId, String clientId) {
        Properties p = admin();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        return p;
    }

    /**
     * Consumer properties of a stage worker with static membership (KIP-345): the
     * {@code group.instance.id} is the client id, {@code <group>-<instance id>}, so a process
     * restarted with the same {@code --instance-id} takes its partitions back at once instead of
     * waiting for the session timeout of its crashed predecessor. Close such a consumer with
     * {@link #closeLeavingGroup} so that a clean stop hands its partitions over at once too.
     *
     * @param groupId    consumer group
     * @param instanceId the process's stable instance id
     * @return properties without deserializers
     */
    public Properties staticConsumer(String groupId, String instanceId) {
        Properties p = consumer(groupId, groupId + "-" + instanceId);
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupId + "-" + instanceId);
        return p;
    }

    /**
     * Closes a consumer and leaves its group, also for a static member (which otherwise keeps its
     * partitions until its session times out).
     *
     * @param consumer the consumer
     */
    public static void closeLeavingGroup(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.groupMembershipOperation(
                org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
