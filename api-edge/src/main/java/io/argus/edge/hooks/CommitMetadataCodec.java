package io.argus.edge.hooks;

import java.util.Collections;
import java.util.Iterator;
import java.util.NavigableSet;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Encodes, in the metadata string of a committed offset, the offsets of hook calls already done
 * beyond the committed position, so that a consumer taking over the partition (after a restart or
 * a rebalance) skips them instead of delivering them again.
 *
 * <p>Format: {@code h1:<base>:<runs>}, numbers in base 36, where {@code <base>} is the committed
 * offset and {@code <runs>} lists the maximal runs of consecutive done offsets, in order, separated
 * by {@code ,}; a run is {@code <gap>} or {@code <gap>+<extra>}: it starts {@code gap} offsets
 * after the previous run's end + 1 (after {@code base} for the first) and covers
 * {@code 1 + extra} offsets. No done offsets encode as the empty string. Example: base 100, done
 * {101, 102, 103, 110} gives {@code h1:2s:1+2,6}.
 *
 * <p>Kafka bounds the metadata ({@code offset.metadata.max.bytes}, 4096 by default); encodings
 * are kept to {@link #MAX_CHARS}. Adding one offset {@code x >= base} to a set grows its encoding
 * by at most {@link #maxGrowth(long, long)} characters (plus {@link #headerLength} for the first),
 * and moving the base up never lengthens the runs, so a caller can stop taking new records before
 * an encoding could exceed the limit. Stateless, thread-safe.
 */
public final class CommitMetadataCodec {

    /** Largest encoding produced: safely below Kafka's default 4096-byte metadata limit. */
    public static final int MAX_CHARS = 4000;
    /** Most offsets {@link #decode} expands (long runs of done calls encode in a few characters). */
    public static final int MAX_DECODED = 1_000_000;
    private static final String PREFIX = "h1:";

    private CommitMetadataCodec() {
    }

    /**
     * @param base committed offset (the lowest call not done)
     * @param done offsets done beyond it; offsets below {@code base} are ignored
     * @return the encoding, empty when nothing beyond {@code base} is done
     * @throws IllegalStateException when the encoding would exceed {@link #MAX_CHARS}
     */
    public static String encode(long base, SortedSet<Long> done) {
        String s = encodeUnbounded(base, done);
        if (s.length() > MAX_CHARS) {
            throw new IllegalStateException("commit metadata of " + done.size() + " offsets needs " + s.length()
                    + " chars, above " + MAX_CHARS);
        }
        return s;
    }

    /**
     * @param base committed offset
     * @param done offsets done beyond it
     * @return the length of the encoding (which may exceed {@link #MAX_CHARS})
     */
    public static int length(long base, SortedSet<Long> done) {
        return encodeUnbounded(base, done).length();
    }

    /**
     * An upper bound on how much one offset adds to the runs of an encoding: a new run adds a
     * separator and a gap of at most {@code offset - base}; extending a run adds at most {@code +}
     * and one digit; merging two runs shortens the encoding.
     *
     * @param base   committed offset of the encoding
     * @param offset the offset to add, {@code >= base}
     * @return the largest growth in characters, not counting the header ({@link #headerLength})
     */
    public static int maxGrowth(long base, long offset) {
        return 2 + Long.toString(Math.max(0, offset - base), 36).length();
    }

    /**
     * @param base committed offset of an encoding
     * @return the length of its {@code h1:<base>:} header, plus one for a base that gains a digit
     *         as it moves up
     */
    public static int headerLength(long base) {
        return PREFIX.length() + Long.toString(Math.max(0, base), 36).length() + 2;
    }

    /**
     * @param committedOffset the committed offset the metadata came with
     * @param metadata        the metadata string, or null
     * @return the done offsets it lists at or above {@code committedOffset}, at most the first
     *         {@link #MAX_DECODED}; empty for a missing, foreign or malformed string
     */
    public static NavigableSet<Long> decode(long committedOffset, String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return Collections.emptyNavigableSet();
        }
        TreeSet<Long> out = new TreeSet<>();
        try {
            int colon = metadata.indexOf(':', PREFIX.length());
            if (colon < 0) {
                return Collections.emptyNavigableSet();
            }
            long cursor = Long.parseLong(metadata.substring(PREFIX.length(), colon), 36);
            String runs = metadata.substring(colon + 1);
            if (runs.isEmpty()) {
                return Collections.emptyNavigableSet();
            }
            for (String run : runs.split(",", -1)) {
                int plus = run.indexOf('+');
                long gap = Long.parseLong(plus < 0 ? run : run.substring(0, plus), 36);
                long extra = plus < 0 ? 0 : Long.parseLong(run.substring(plus + 1), 36);
                if (gap < 0 || extra < 0) {
                    return Collections.emptyNavigableSet();
                }
                long start = Math.addExact(cursor, gap);
                long end = Math.addExact(start, extra);
                for (long o = Math.max(start, committedOffset); o <= end; o++) {
                    if (out.size() >= MAX_DECODED) {
                        return out;
                    }
                    out.add(o);
                }
                cursor = Math.addExact(start, extra + 1);
            }
        } catch (RuntimeException e) { // NumberFormatException, ArithmeticException
            return Collections.emptyNavigableSet();
        }
        return out;
    }

    private static String encodeUnbounded(long base, SortedSet<Long> done) {
        SortedSet<Long> beyond = done.tailSet(base);
        if (beyond.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(PREFIX).append(Long.toString(base, 36)).append(':');
        long cursor = base;
        Iterator<Long> it = beyond.iterator();
        long start = it.next();
        long end = start;
        boolean first = true;
        while (true) {
            Long next = it.hasNext() ? it.next() : null;
            if (next != null && next == end + 1) {
                end = next;
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(Long.toString(start - cursor, 36));
            if (end > start) {
                sb.append('+').append(Long.toString(end - start, 36));
            }
            cursor = end + 1;
            if (next == null) {
                break;
            }
            start = next;
            end = next;
        }
        return sb.toString();
    }
}
