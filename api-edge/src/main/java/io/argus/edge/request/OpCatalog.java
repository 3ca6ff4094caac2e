package io.argus.edge.request;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ops a job may name ({@link OpDescription}s, by name) and the ops this deployment knows of but
 * cannot run, each with why and what to do (e.g. a model to install): the edge's whole knowledge of
 * ops, given by the analyzer's registry at start. Immutable.
 */
public final class OpCatalog {

    private final SortedMap<String, OpDescription> ops = new TreeMap<>();
    private final SortedMap<String, String> unavailable = new TreeMap<>();

    /**
     * @param ops         the ops a job may name
     * @param unavailable op name -> why it cannot run and what to do; names also among {@code ops}
     *                    are left out
     * @throws IllegalArgumentException when two ops share a name
     * @throws NullPointerException     when an argument, op, name or reason is null
     */
    public OpCatalog(Collection<OpDescription> ops, Map<String, String> unavailable) {
        for (OpDescription op : ops) {
            if (this.ops.putIfAbsent(op.name(), op) != null) {
                throw new IllegalArgumentException("duplicate op " + op.name());
            }
        }
        unavailable.forEach((op, why) -> {
            if (!this.ops.containsKey(op)) {
                this.unavailable.put(op, java.util.Objects.requireNonNull(why, "reason"));
            }
        });
    }

    /**
     * @param names op names
     * @return a catalog of ops known by name only ({@link OpDescription#named}: any params), none unavailable
     */
    public static OpCatalog ofNames(Set<String> names) {
        return new OpCatalog(names.stream().map(OpDescription::named).toList(), Map.of());
    }

    /** @return the op names a job may use, sorted */
    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(ops.keySet()));
    }

    /**
     * @param name an op name
     * @return its description, or empty when a job may not name it
     */
    public Optional<OpDescription> get(String name) {
        return Optional.ofNullable(ops.get(name));
    }

    /** @return the ops, sorted by name */
    public Collection<OpDescription> all() {
        return Collections.unmodifiableCollection(ops.values());
    }

    /** @return op name -> the labels it can produce, sorted by name */
    public Map<String, List<String>> labels() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        ops.forEach((name, op) -> out.put(name, op.labels()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * @param name an op name
     * @return why the op cannot run in this deployment and what to do, or empty when it is not a
     *         known unavailable op
     */
    public Optional<String> unavailable(String name) {
        return Optional.ofNullable(unavailable.get(name));
    }

    /** @return op name -> why it cannot run and what to do, sorted by name */
    public SortedMap<String, String> unavailable() {
        return Collections.unmodifiableSortedMap(unavailable);
    }
}
