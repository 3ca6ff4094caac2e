package io.argus.launcher.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.argus.analyzer.op.OpProvider;
import io.argus.analyzer.op.OpRegistry;
import io.argus.launcher.bench.Benchmarks;
import io.argus.launcher.eval.CocoSet;
import io.argus.launcher.eval.DetectorEval;
import io.argus.launcher.eval.EvalReport;
import io.argus.launcher.eval.EvalSection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code argus eval}: scores the installed detector ops on the labelled frames of
 * {@code eval/annotations.json} ({@link io.argus.launcher.eval}) and prints precision, recall and
 * AP@0.5 per class, the mean AP and the per-frame counting errors; {@code --write} puts the tables
 * into BENCHMARKS.md. Installs the default models on first use, as {@code analyze} does. Exit code
 * 0, or 2 for an unknown op or unreadable annotations.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Score the detector ops on the labelled evaluation set (precision, recall, AP@0.5 per class, "
                + "counting errors); --write puts the tables into BENCHMARKS.md.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--op", description = "Op to score (repeatable). Default: every installed op that can report "
            + "person, bicycle, car, motorcycle, bus or truck.")
    List<String> ops = new ArrayList<>();

    @Option(names = "--annotations", defaultValue = "eval/annotations.json",
            description = "COCO JSON of the set (default ${DEFAULT-VALUE}); its clips are in clips/ beside it.")
    Path annotations;

    @Option(names = "--models-dir", defaultValue = "${env:ARGUS_DATA_DIR:-data}/models",
            description = "Where models live (default ${DEFAULT-VALUE}).")
    Path modelsDir;

    @Option(names = "--no-model-install", description = "Do not install missing default models.")
    boolean noInstall;

    @Option(names = "--iou", defaultValue = "0.5", description = "IoU of a match (default ${DEFAULT-VALUE}).")
    double iou;

    @Option(names = "--rank-threshold", defaultValue = "0.05",
            description = "Score threshold of the run AP is computed on (default ${DEFAULT-VALUE}).")
    float rankThreshold;

    @Option(names = "--params", description = "Params given to every scored op on every frame, a JSON object "
            + "(e.g. '{\"tiles\":2}'); the tables name the op with them.")
    String params;

    @Option(names = "--write", description = "Write the tables into the report file (section replaced).")
    boolean write;

    @Option(names = "--out", defaultValue = "BENCHMARKS.md", description = "Report file of --write (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        CocoSet set;
        try {
            set = CocoSet.load(annotations);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("argus: cannot read the annotations " + annotations + ": " + e.getMessage());
            return 2;
        }
        if (!noInstall) {
            FirstUseModels.ensure(modelsDir, System.err);
        }
        OpRegistry registry = OpRegistry.builtin(modelsDir);
        List<OpProvider> chosen = new ArrayList<>();
        if (ops.isEmpty()) {
            for (OpProvider p : registry.all()) {
                if (p.labels().stream().anyMatch(EvalReport.CLASSES::contains)) {
                    chosen.add(p);
                }
            }
        } else {
            for (String name : ops) {
                OpProvider p = registry.get(name).orElse(null);
                if (p == null) {
                    System.err.println("argus: unknown op " + name + "; installed: " + registry.names());
                    return 2;
                }
                chosen.add(p);
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode opParams;
        try {
            com.fasterxml.jackson.databind.JsonNode node = params == null
                    ? new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                    : new com.fasterxml.jackson.databind.ObjectMapper().readTree(params);
            if (!(node instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) {
                System.err.println("argus: --params must be a JSON object, got " + params);
                return 2;
            }
            opParams = o;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            System.err.println("argus: --params is not JSON: " + e.getOriginalMessage());
            return 2;
        }
        Path clips = annotations.toAbsolutePath().getParent().resolve("clips");
        List<EvalReport.OpScores> scores = new ArrayList<>();
        for (OpProvider p : chosen) {
            System.err.println("Scoring op " + p.name() + " on " + set.images().size() + " frames...");
            EvalReport.OpScores s = EvalReport.score(set, DetectorEval.run(p, set, clips, rankThreshold, opParams), iou);
            scores.add(s);
            System.out.println(EvalReport.tables(s));
        }
        if (write) {
            String machine = "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                    + System.getProperty("java.version") + ", " + LocalDate.now() + ".";
            String existing = Files.exists(out) ? Files.readString(out) : "# Benchmarks\n";
            Files.writeString(out, Benchmarks.withSection(existing, EvalSection.HEADING,
                    EvalSection.render(set, scores, rankThreshold, machine)));
            System.err.println("Wrote " + EvalSection.HEADING.substring(3) + " into " + out);
        }
        return 0;
    }
}
