package io.argus.launcher.runtime;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The parts of Argus a process can run ({@code argus server --stages …}). Every stage talks to the
 * others only through Kafka, so any subset can run in a process and several processes can run the
 * same stage: they share its work by partitions within the stage's consumer group.
 */
public enum Stage {
    /** Sources to frame events: consumer group {@code argus-ingest} on argus.jobs and argus.extractions. */
    INGEST,
    /** Ops on frames: group {@code argus-analyzer} on argus.frames, transactional. */
    ANALYZER,
    /** Optical flow of frame pairs: group {@code argus-flow} on argus.flow-pairs. */
    FLOW,
    /** Segments, job status and hook calls: the Kafka Streams application {@code argus-aggregator}. */
    AGGREGATOR,
    /**
     * The HTTP API with its job view, hook delivery (group {@code argus-hooks}), extraction index
     * and retention sweep; with the in-memory schema registry, it also serves the registry's REST API.
     */
    EDGE;

    /** @return every stage: the single-process default */
    public static Set<Stage> all() {
        return EnumSet.allOf(Stage.class);
    }

    /**
     * @param list comma-separated stage names, case-insensitive, or {@code all}
     * @return the stages
     * @throws IllegalArgumentException for an empty list or an unknown name (the message lists the known ones)
     */
    public static Set<Stage> parse(String list) {
        if (list == null || list.isBlank() || list.trim().equalsIgnoreCase("all")) {
            return all();
        }
        Set<Stage> out = EnumSet.noneOf(Stage.class);
        for (String name : list.split(",")) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            try {
                out.add(Stage.valueOf(n));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown stage '" + name.trim() + "'; known: all, "
                        + String.join(", ", java.util.Arrays.stream(values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList()));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no stage named in '" + list + "'");
        }
        return out;
    }
}
