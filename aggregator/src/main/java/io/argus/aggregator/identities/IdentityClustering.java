package io.argus.aggregator.identities;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Incremental density clustering of face traces into identities, after Immich's face clustering
 * ({@code immich-app/immich}, {@code server/src/services/person.service.ts}, {@code handleRecognizeFaces}:
 * a face joins the nearest person within the distance limit; without one, it founds a new person
 * only when at least {@code minFaces} faces lie within the limit, else it stays unassigned and is
 * tried again later). Argus clusters traces, not single faces: a trace is one person seen on
 * consecutive frames, so its faces count as that many similar faces, and its smoothed embedding is
 * what is compared.
 *
 * <p>On a new trace ({@link #addTrace}; a known one is updated in its place):
 * <ol>
 *   <li>it joins the identity whose centroid is the most similar, when the cosine is at least
 *       {@value #MATCH_COSINE}, the trace was never rejected from it, and none of its traces was on
 *       screen at the same time in the same job (two faces seen together are two people: a
 *       cannot-link constraint, Wagstaff et al., "Constrained K-means Clustering with Background
 *       Knowledge", ICML 2001);</li>
 *   <li>else, with the unassigned traces at least that similar to it (and not on screen with it or
 *       with each other), it founds an identity when their faces number at least
 *       {@value #MIN_FACES}; the founding traces join it;</li>
 *   <li>else it stays unassigned (an outlier), tried again each time an identity is founded.</li>
 * </ol>
 * Assignments never move by themselves: only a user's merge, split or rejection moves a trace.
 * A centroid is the mean of its traces' features weighted by face count, back to unit length.
 * Identity uuids are name-based ({@link UUID#nameUUIDFromBytes}) on the founding trace's key, so the
 * same inputs in the same order always give the same identities. Not thread-safe.
 */
public final class IdentityClustering {

    /**
     * Least cosine of a trace's embedding with an identity's centroid (or with another trace) to be
     * the same person. Measured on the five labelled clips (BENCHMARKS "Face traces and
     * identities"): the same person's traces in two clips 0.79 and 0.82; different people not on
     * screen together at most 0.57; different people in one clip up to 0.69 and tiny (16–20 px)
     * faces of a classroom up to 0.76, which the cannot-link rule keeps apart. FaceRes's single-face
     * threshold at a false-accept rate of 1% is 0.66.
     */
    public static final double MATCH_COSINE = 0.65;
    /** Faces that must agree to found an identity (Immich's {@code minFaces} default 3). */
    public static final int MIN_FACES = 3;

    /** Where the clustering keeps its state: the identity stage's state store. */
    public interface Store {
        /** @return the trace, or null */
        TraceState trace(String key);

        /** @param trace stored under its key */
        void put(TraceState trace);

        /** @param key the trace removed */
        void deleteTrace(String key);

        /** @return the identity, or null */
        IdentityState identity(String uuid);

        /** @param identity stored under its uuid */
        void put(IdentityState identity);

        /** @param uuid the identity removed */
        void deleteIdentity(String uuid);

        /** @return every identity */
        List<IdentityState> identities();

        /** @return the keys of the unassigned traces, oldest first */
        List<String> unassigned();

        /** @param keys the unassigned traces now */
        void unassigned(List<String> keys);
    }

    private final Store store;
    private final Map<String, IdentityState> changed = new LinkedHashMap<>();

    /** @param store the state */
    public IdentityClustering(Store store) {
        this.store = store;
    }

    /**
     * @param key a trace key {@code <job>/<trace>}
     * @return the trace's state, or null
     */
    public TraceState traceOf(String key) {
        return store.trace(key);
    }

    /**
     * @return identities changed since the last call, by uuid, null for one removed; then forgotten
     */
    public Map<String, IdentityState> drainChanges() {
        Map<String, IdentityState> out = new LinkedHashMap<>(changed);
        changed.clear();
        return out;
    }

    /**
     * Places a trace, or updates one already known: a live trace comes again while it grows
     * ({@code FaceTraceProcessor}) and when it ends. An update takes the new face count, feature and
     * last time and keeps the trace's place: in its identity (whose centroid and face count are made
     * again), or, unassigned, it is tried again as a new trace is (its rejections kept). The same
     * record applied twice leaves the same state.
     *
     * @param trace   the trace as it stands now, unassigned, no rejections
     * @param model   its embedding model
     * @param nowMs   record time, ms since the epoch
     */
    public void addTrace(TraceState trace, String model, long nowMs) {
        if (trace.feature() == null || trace.feature().length == 0) {
            return;
        }
        TraceState known = store.trace(trace.key());
        if (known != null) {
            update(known, trace, model, nowMs);
            return;
        }
        store.put(trace);
        if (!join(trace, nowMs)) {
            List<String> waiting = new ArrayList<>(store.unassigned());
            waiting.add(trace.key());
            store.unassigned(waiting);
            found(trace, model, nowMs);
        }
    }

    private void update(TraceState known, TraceState now, String model, long nowMs) {
        TraceState updated = new TraceState(known.key(), known.jobId(), known.traceId(), now.faceCount(), now.feature(),
                known.identity(), known.similarity(), known.rejected(), known.firstMs(), now.lastMs());
        store.put(updated);
        if (known.identity() != null) {
            IdentityState id = store.identity(known.identity());
            if (id != null) {
                save(rebuild(id.uuid(), id.name(), id.model(), id.traces(), nowMs, id.lastRequest()));
            }
            return;
        }
        if (join(updated, nowMs)) {
            List<String> waiting = new ArrayList<>(store.unassigned());
            waiting.remove(updated.key());
            store.unassigned(waiting);
        } else if (known.rejected().isEmpty()) {
            // a trace a user took out of an identity founds none: its uuid would be the one rejected
            found(updated, model, nowMs);
        }
    }

    /** Joins the nearest identity within the limit; @return whether it joined one. */
    private boolean join(TraceState trace, long nowMs) {
        IdentityState best = null;
        double bestCos = MATCH_COSINE;
        for (IdentityState id : store.identities()) {
            if (trace.rejected().contains(id.uuid()) || id.centroid() == null
                    || id.centroid().length != trace.feature().length || seenWith(trace, id.traces())) {
                continue;
            }
            double c = cosine(trace.feature(), id.centroid());
            if (c >= bestCos) {
                best = id;
                bestCos = c;
            }
        }
        if (best == null) {
            return false;
        }
        List<String> members = new ArrayList<>(best.traces());
        members.add(trace.key());
        store.put(trace.assigned(best.uuid(), (float) bestCos));
        save(rebuild(best.uuid(), best.name(), best.model(), members, nowMs, best.lastRequest()));
        return true;
    }

    /** @return whether the trace was on screen together with one of these traces */
    private boolean seenWith(TraceState trace, List<String> members) {
        for (String key : members) {
            TraceState m = store.trace(key);
            if (m != null && trace.overlaps(m)) {
                return true;
            }
        }
        return false;
    }

    /** Founds an identity from an unassigned trace and the unassigned traces like it, when enough faces agree. */
    private void found(TraceState seed, String model, long nowMs) {
        List<TraceState> group = new ArrayList<>(List.of(seed));
        int faces = seed.faceCount();
        for (String key : store.unassigned()) {
            TraceState t = store.trace(key);
            if (t != null && !key.equals(seed.key()) && cosine(seed.feature(), t.feature()) >= MATCH_COSINE
                    && group.stream().noneMatch(t::overlaps)) {
                group.add(t);
                faces += t.faceCount();
            }
        }
        if (faces < MIN_FACES) {
            return;
        }
        String uuid = UUID.nameUUIDFromBytes(("identity/" + seed.key()).getBytes(StandardCharsets.UTF_8)).toString();
        List<String> members = new ArrayList<>();
        List<String> waiting = new ArrayList<>(store.unassigned());
        for (TraceState t : group) {
            members.add(t.key());
            waiting.remove(t.key());
            store.put(t.assigned(uuid, (float) (t.key().equals(seed.key()) ? 1 : cosine(seed.feature(), t.feature()))));
        }
        store.unassigned(waiting);
        save(rebuild(uuid, null, model, members, nowMs, null));
        retry(nowMs);
    }

    /** The unassigned traces are tried again against the identities (after one was founded or changed). */
    private void retry(long nowMs) {
        List<String> waiting = new ArrayList<>(store.unassigned());
        List<String> still = new ArrayList<>();
        for (String key : waiting) {
            TraceState t = store.trace(key);
            if (t != null && !join(t, nowMs)) {
                still.add(key);
            }
        }
        store.unassigned(still);
    }

    /**
     * Sets an identity's name.
     *
     * @param uuid    the identity
     * @param name    the name, or null to clear it
     * @param request the command's request id
     * @param nowMs   record time
     * @return false when there is no such identity
     */
    public boolean name(String uuid, String name, String request, long nowMs) {
        IdentityState id = store.identity(uuid);
        if (id == null) {
            return false;
        }
        save(new IdentityState(id.uuid(), name, id.model(), id.traces(), id.centroid(), id.faceCount(), nowMs, request));
        return true;
    }

    /**
     * Moves every trace of {@code others} into {@code uuid}; the others are removed.
     *
     * @param uuid    the identity kept
     * @param others  the identities merged into it (unknown ones and {@code uuid} itself are skipped)
     * @param request the command's request id
     * @param nowMs   record time
     * @return false when {@code uuid} does not exist
     */
    public boolean merge(String uuid, List<String> others, String request, long nowMs) {
        IdentityState id = store.identity(uuid);
        if (id == null) {
            return false;
        }
        List<String> members = new ArrayList<>(id.traces());
        String name = id.name();
        for (String o : others) {
            IdentityState other = o.equals(uuid) ? null : store.identity(o);
            if (other == null) {
                continue;
            }
            for (String key : other.traces()) {
                TraceState t = store.trace(key);
                if (t != null) {
                    store.put(t.assigned(uuid, (float) cosine(t.feature(), id.centroid())));
                    members.add(key);
                }
            }
            if (name == null) {
                name = other.name();
            }
            store.deleteIdentity(o);
            changed.put(o, null);
        }
        save(rebuild(uuid, name, id.model(), members, nowMs, request));
        return true;
    }

    /**
     * Moves some of an identity's traces into a new identity.
     *
     * @param uuid     the identity split
     * @param traces   trace keys to move (those not in the identity are skipped)
     * @param newUuid  the new identity's uuid
     * @param request  the command's request id
     * @param nowMs    record time
     * @return false when the identity does not exist or none of the traces is in it
     */
    public boolean split(String uuid, List<String> traces, String newUuid, String request, long nowMs) {
        IdentityState id = store.identity(uuid);
        if (id == null || newUuid == null || store.identity(newUuid) != null) {
            return false;
        }
        List<String> moved = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String key : id.traces()) {
            (traces.contains(key) ? moved : kept).add(key);
        }
        if (moved.isEmpty()) {
            return false;
        }
        for (String key : moved) {
            TraceState t = store.trace(key);
            if (t != null) {
                store.put(t.assigned(newUuid, 1));
            }
        }
        save(rebuild(newUuid, null, id.model(), moved, nowMs, request));
        saveOrDrop(rebuild(uuid, id.name(), id.model(), kept, nowMs, request));
        return true;
    }

    /**
     * "Not this person": the traces leave the identity, are never placed in it again, and are placed
     * anew (another identity, or unassigned).
     *
     * @param uuid    the identity
     * @param traces  trace keys (those not in the identity are skipped)
     * @param request the command's request id
     * @param nowMs   record time
     * @return false when the identity does not exist or none of the traces is in it
     */
    public boolean reject(String uuid, List<String> traces, String request, long nowMs) {
        IdentityState id = store.identity(uuid);
        if (id == null) {
            return false;
        }
        List<String> kept = new ArrayList<>();
        List<TraceState> out = new ArrayList<>();
        for (String key : id.traces()) {
            TraceState t = store.trace(key);
            if (traces.contains(key) && t != null) {
                out.add(t.rejecting(uuid));
            } else {
                kept.add(key);
            }
        }
        if (out.isEmpty()) {
            return false;
        }
        saveOrDrop(rebuild(uuid, id.name(), id.model(), kept, nowMs, request));
        for (TraceState t : out) {
            store.put(t);
            if (!join(t, nowMs)) {
                List<String> waiting = new ArrayList<>(store.unassigned());
                waiting.add(t.key());
                store.unassigned(waiting);
            }
        }
        return true;
    }

    /**
     * Forgets traces (their file was deleted): they leave their identities (an identity left without
     * traces is removed) and the unassigned list, and their state is dropped.
     *
     * @param traces  trace keys
     * @param request the command's request id
     * @param nowMs   record time
     * @return whether any of them was known
     */
    public boolean forget(List<String> traces, String request, long nowMs) {
        boolean any = false;
        Map<String, List<String>> leaving = new LinkedHashMap<>();
        for (String key : traces) {
            TraceState t = store.trace(key);
            if (t == null) {
                continue;
            }
            any = true;
            if (t.identity() != null) {
                leaving.computeIfAbsent(t.identity(), k -> new ArrayList<>()).add(key);
            }
            store.deleteTrace(key);
        }
        List<String> waiting = new ArrayList<>(store.unassigned());
        if (waiting.removeAll(traces)) {
            store.unassigned(waiting);
        }
        for (Map.Entry<String, List<String>> e : leaving.entrySet()) {
            IdentityState id = store.identity(e.getKey());
            if (id != null) {
                List<String> kept = new ArrayList<>(id.traces());
                kept.removeAll(e.getValue());
                saveOrDrop(rebuild(id.uuid(), id.name(), id.model(), kept, nowMs, request));
            }
        }
        return any;
    }

    private void saveOrDrop(IdentityState id) {
        if (id.traces().isEmpty()) {
            store.deleteIdentity(id.uuid());
            changed.put(id.uuid(), null);
        } else {
            save(id);
        }
    }

    private void save(IdentityState id) {
        store.put(id);
        changed.put(id.uuid(), id);
    }

    /** An identity with these members, its centroid and face count computed from their traces. */
    private IdentityState rebuild(String uuid, String name, String model, List<String> members, long nowMs,
                                  String request) {
        double[] sum = null;
        int faces = 0;
        for (String key : members) {
            TraceState t = store.trace(key);
            if (t == null) {
                continue;
            }
            if (sum == null) {
                sum = new double[t.feature().length];
            }
            if (t.feature().length == sum.length) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += t.feature()[i] * t.faceCount();
                }
            }
            faces += t.faceCount();
        }
        return new IdentityState(uuid, name, model, members, sum == null ? null : unit(sum), faces, nowMs, request);
    }

    private static float[] unit(double[] v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        double inv = n > 0 ? 1 / Math.sqrt(n) : 0;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * inv);
        }
        return out;
    }

    /**
     * @param a a unit vector
     * @param b a unit vector
     * @return their cosine similarity (the dot product), or -1 when the dimensions differ
     */
    public static double cosine(float[] a, float[] b) {
        if (a == null || b == null || a.length != b.length) {
            return -1;
        }
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
