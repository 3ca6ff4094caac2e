package io.argus.edge.view;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.Objects;

import io.argus.schemas.avro.JobStatus;

/**
 * A position in the job listing of {@code GET /v1/jobs/video}: the {@code created_at} and job id
 * of the last job of a page. The next page holds the jobs that come after it in
 * {@link #ORDER}.
 *
 * <p>Clients see it only as an opaque string ({@link #encode()}): unpadded base64url of
 * {@code "1:" + created_at (epoch ms) + ":" + job_id}. Because a marker names a position and not
 * an index, a walk through the pages never shows a job twice and never skips one, whatever jobs
 * are added or removed meanwhile (jobs created after the walk began sort before the marker and are
 * not in its later pages). A marker stays valid when its job is gone.
 *
 * @param createdAt the job's {@code created_at}, epoch milliseconds
 * @param jobId     the job's id
 */
public record JobMarker(long createdAt, String jobId) {

    /**
     * The listing order: newest {@code created_at} first, ties by job id (ascending). The order is
     * total, so it is stable from one request to the next.
     */
    public static final Comparator<JobStatus> ORDER = Comparator.comparingLong(JobStatus::getCreatedAt).reversed()
            .thenComparing(JobStatus::getJobId);

    /** Longest accepted encoded marker, in characters (a job id of 1000 bytes fits easily). */
    public static final int MAX_ENCODED_LENGTH = 2048;

    private static final String VERSION = "1";

    /**
     * @param createdAt the job's {@code created_at}, epoch milliseconds
     * @param jobId     the job's id, not null
     */
    public JobMarker {
        Objects.requireNonNull(jobId, "jobId");
    }

    /**
     * @param status a job's status
     * @return the marker naming that job's position in {@link #ORDER}
     */
    public static JobMarker of(JobStatus status) {
        return new JobMarker(status.getCreatedAt(), status.getJobId());
    }

    /**
     * @param status a job's status
     * @return true when the job comes after this marker in {@link #ORDER}
     */
    public boolean precedes(JobStatus status) {
        if (status.getCreatedAt() != createdAt) {
            return status.getCreatedAt() < createdAt;
        }
        return status.getJobId().compareTo(jobId) > 0;
    }

    /** @return the opaque text handed to clients (URL-safe, no padding) */
    public String encode() {
        String plain = VERSION + ":" + createdAt + ":" + jobId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param text a marker as returned by {@link #encode()}
     * @return the marker
     * @throws IllegalArgumentException when the text is not a marker this version wrote (the message
     *                                  is safe to show to the client)
     */
    public static JobMarker decode(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_ENCODED_LENGTH) {
            throw new IllegalArgumentException("marker must be a value returned by a previous page");
        }
        String plain;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text);
            plain = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new IllegalArgumentException("marker must be a value returned by a previous page");
        }
        String[] parts = plain.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION) || parts[2].isEmpty()
                || !parts[1].matches("-?\\d{1,19}")) {
            throw new IllegalArgumentException("marker must be a value returned by a previous page");
        }
        try {
            return new JobMarker(Long.parseLong(parts[1]), parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("marker must be a value returned by a previous page");
        }
    }

    /** @return the encoded marker ({@link #encode()}) */
    @Override
    public String toString() {
        return encode();
    }
}
