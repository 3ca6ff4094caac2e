package io.argus.launcher.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.stream.Collectors;

import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.Segment;

/** Prints a finished job's op results as a readable table. */
final class ResultPrinter {

    private ResultPrinter() {
    }

    static void print(PrintStream out, String jobId, String uri, JobStatus status, Map<String, OpResult> results) {
        out.printf("Job %s %s: %s, %d frames analysed%n", jobId, status.getStatus(), uri, status.getFramesAnalyzed());
        for (String op : status.getOps()) {
            OpResult r = results.get(op);
            if (r == null) {
                continue;
            }
            out.printf("%nop %s: video labels %s%s, %d segments%n", op, labels(r.getLabels()),
                    r.getTerminated() ? " (terminated early)" : "", r.getSegments().size());
            for (Segment s : r.getSegments()) {
                out.printf("  %s - %s  %-40s %d cuts%n", time(s.getOffsetBegin()), time(s.getOffsetEnd()),
                        s.getLabels().isEmpty() ? "(no label)" : labels(s.getLabels()), s.getCuts().size());
            }
        }
    }

    private static String labels(java.util.List<Label> labels) {
        return labels.stream().map(l -> String.format("%s %.2f", l.getLabel(), l.getScore()))
                .collect(Collectors.joining(", "));
    }

    private static String time(long ms) {
        return String.format("%02d:%02d.%03d", ms / 60000, (ms / 1000) % 60, ms % 1000);
    }
}
