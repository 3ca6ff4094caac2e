package io.argus.schemas.topics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the Argus topics that do not exist yet. */
public final class TopicAdmin {

    private TopicAdmin() {
    }

    /** @return the topic's own configs plus {@code min.insync.replicas} = 2 for replication 3 and more */
    static Map<String, String> configs(Topic<String, ?> topic, short replicationFactor) {
        Map<String, String> c = new HashMap<>(topic.configs());
        if (replicationFactor >= 3) {
            c.putIfAbsent(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        }
        return c;
    }

    /**
     * Creates missing topics; existing ones are left as they are.
     *
     * @param clientProps       admin client properties (bootstrap.servers at least)
     * @param topics            topics to ensure
     * @param partitions        partition count of new topics; equal counts keep topics co-partitioned
     * @param replicationFactor replication factor of new topics (1 on the embedded broker); with 3
     *                          or more, new topics get {@code min.insync.replicas} = 2 unless the
     *                          topic sets it, so an acknowledged record (acks=all) survives the loss
     *                          of any one broker while one broker may be down without stopping writes
     * @throws IllegalStateException when the cluster refuses or cannot be reached
     */
    public static void ensure(Properties clientProps, List<Topic<String, ?>> topics, int partitions,
                              short replicationFactor) {
        try (Admin admin = Admin.create(clientProps)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), partitions, replicationFactor).configs(configs(t, replicationFactor)))
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create Argus topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }
}
