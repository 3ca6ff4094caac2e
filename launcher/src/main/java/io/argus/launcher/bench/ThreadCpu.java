package io.argus.launcher.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * CPU time of this process by thread group, for telling a benchmark's waiting from its work. On
 * Linux every thread counts, native ones included (OpenCV's and FFmpeg's pools, GC, JIT): the
 * time comes from {@code /proc/self/task/<tid>/schedstat} (first field, ns on a CPU) and the
 * group from {@code comm} (the thread's name, cut by the kernel to 15 characters) without digits
 * and trailing separators, so {@code argus-flow-poll-0} and {@code argus-flow-poll-1} are one
 * group. Elsewhere only the process total is known. Threads that ended between two snapshots lose
 * their time from the groups but not from {@link #process()}.
 *
 * @param groups  CPU time so far per group, ms
 * @param process CPU time of the whole process so far, ms ({@code getProcessCpuTime})
 */
record ThreadCpu(Map<String, Double> groups, double process) {

    private static final Path TASKS = Path.of("/proc/self/task");

    /** @return the CPU time so far of every live thread, grouped, and of the process */
    static ThreadCpu now() {
        Map<String, Double> groups = new TreeMap<>();
        if (Files.isDirectory(TASKS)) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
                for (Path task : tasks) {
                    try {
                        String comm = Files.readString(task.resolve("comm")).strip();
                        String schedstat = Files.readString(task.resolve("schedstat"));
                        double ms = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))) / 1e6;
                        groups.merge(group(comm), ms, Double::sum);
                    } catch (IOException | RuntimeException e) {
                        // the thread ended while being read
                    }
                }
            } catch (IOException e) {
                groups.clear();
            }
        }
        double process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e6;
        return new ThreadCpu(groups, process);
    }

    /**
     * @param earlier a snapshot taken before this one
     * @return CPU time spent between the two, ms, per group (groups under 5 ms left out) and in total
     */
    ThreadCpu since(ThreadCpu earlier) {
        Map<String, Double> d = new TreeMap<>();
        groups.forEach((g, ms) -> {
            double spent = ms - earlier.groups.getOrDefault(g, 0.0);
            if (spent >= 5) {
                d.put(g, spent);
            }
        });
        return new ThreadCpu(d, process - earlier.process);
    }

    /**
     * @param runs snapshots' differences, one per run, not empty
     * @return per group and for the process, the median over the runs (a group missing from a run
     *         counts 0 there)
     */
    static ThreadCpu median(List<ThreadCpu> runs) {
        Set<String> names = new TreeSet<>();
        runs.forEach(r -> names.addAll(r.groups.keySet()));
        Map<String, Double> groups = new TreeMap<>();
        for (String g : names) {
            groups.put(g, ExtractionBench.median(runs.stream().map(r -> r.groups.getOrDefault(g, 0.0)).toList()));
        }
        return new ThreadCpu(groups, ExtractionBench.median(runs.stream().map(ThreadCpu::process).toList()));
    }

    /**
     * @param prefixes group name prefixes (the kernel's 15-character names)
     * @return the summed time of the groups starting with one of them, ms
     */
    double of(String... prefixes) {
        return groups.entrySet().stream()
                .filter(e -> Arrays.stream(prefixes).anyMatch(e.getKey()::startsWith))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** @return "total N ms: group a, …", largest first, ms */
    String describe() {
        StringBuilder s = new StringBuilder(String.format("total %.0f ms:", process));
        groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> s.append(String.format(" %s %.0f,", e.getKey(), e.getValue())));
        return s.toString();
    }

    private static String group(String name) {
        return name.replaceAll("[0-9]+", "").replaceAll("[-_ .#|:]+$", "");
    }
}
