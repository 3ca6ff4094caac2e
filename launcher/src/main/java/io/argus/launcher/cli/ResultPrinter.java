package io.argus.launcher.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Prints a finished job's op results as a readable table, from their API form (the
 * {@code result} of {@code GET /v1/jobs/video/<id>}: {@code {op: {labels, segments, terminated}}}),
 * so a job run in this process and one run by a server print alike.
 */
final class ResultPrinter {

    private ResultPrinter() {
    }

    /**
     * @param out            where to print
     * @param jobId          the job id
     * @param uri            the video
     * @param status         the job's state (FINISHED …)
     * @param framesAnalyzed frames analysed
     * @param result         {@code {op: {"labels": [...], "segments": [...], "terminated": true?}}}
     */
    static void print(PrintStream out, String jobId, String uri, String status, long framesAnalyzed, JsonNode result) {
        out.printf("Job %s %s: %s, %d frames analysed%n", jobId, status, uri, framesAnalyzed);
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) result::fields) {
            JsonNode r = e.getValue();
            out.printf("%nop %s: video labels %s%s, %d segments%n", e.getKey(), labels(r.path("labels")),
                    r.path("terminated").asBoolean(false) ? " (terminated early)" : "", r.path("segments").size());
            for (JsonNode s : r.path("segments")) {
                out.printf("  %s - %s  %-40s %d cuts%n", time(s.path("offset_begin").asLong()),
                        time(s.path("offset_end").asLong()),
                        s.path("labels").isEmpty() ? "(no label)" : labels(s.path("labels")), s.path("cuts").size());
            }
        }
    }

    private static String labels(JsonNode labels) {
        List<String> parts = new ArrayList<>();
        for (JsonNode l : labels) {
            parts.add(String.format("%s %.2f", l.path("label").asText(), l.path("score").asDouble()));
        }
        return String.join(", ", parts);
    }

    private static String time(long ms) {
        return String.format("%02d:%02d.%03d", ms / 60000, (ms / 1000) % 60, ms % 1000);
    }
}
