package io.argus.launcher.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;
import io.argus.edge.view.JobView;
import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code argus analyze [VIDEO]}: starts every stage in this JVM (embedded Kafka by default),
 * submits one job through the same validation as {@code POST /v1/video}, shows progress
 * (frames analysed of expected) and prints the segments when the job ends. Missing default models
 * are installed first ({@link FirstUseModels}) unless {@code --no-model-install} is given.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyze one video end to end and print its segments. Without VIDEO, analyzes "
                + "vtest.avi from Debian's opencv-doc (fetched on first use).")
public final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "VIDEO", description = "A local path or an http(s) URL.")
    String video;

    @Option(names = "--op", defaultValue = "person", split = ",",
            description = "Ops to run (default ${DEFAULT-VALUE}).")
    List<String> ops;

    @Option(names = "--mode", defaultValue = "0", description = "0: one frame per interval; 1: keyframes.")
    int mode;

    @Option(names = "--interval", defaultValue = "5.0", description = "Seconds between frames in mode 0, (0, 10].")
    double interval;

    @Option(names = "--json", description = "Print the full result as JSON (the synchronous API answer).")
    boolean json;

    @Option(names = "--no-model-install", defaultValue = "${env:ARGUS_NO_MODEL_INSTALL:-false}",
            description = "Do not install missing default models on first use (air-gapped machines; env ARGUS_NO_MODEL_INSTALL). Ops without their model fall back (person: OpenCV HOG) or are unavailable.")
    boolean noModelInstall;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        String uri = video != null ? video : SampleVideos.ensure("vtest.avi").toString();
        String videoId = Path.of(uri.replaceAll("[?#].*$", "")).getFileName().toString();
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.putObject("data").put("uri", uri);
        body.putObject("params").put("async", true).putObject("vframe").put("mode", mode).put("interval", interval);
        ArrayNode opList = body.putArray("ops");
        ops.forEach(op -> opList.addObject().put("op", op));

        if (!noModelInstall) {
            FirstUseModels.ensure(runtime.dataDir.resolve("models"), System.err);
        }
        try (ArgusRuntime rt = ArgusRuntime.start(runtime.toConfig("127.0.0.1", -1))) {
            JobRequest job;
            try {
                job = rt.submit(videoId, body.toString());
            } catch (ApiException e) {
                System.err.println("error " + e.status() + ": " + e.getMessage());
                return 2;
            }
            JobStatus last = follow(rt.view(), job.getJobId(), videoId);
            Map<String, OpResult> results = rt.view().results(job.getJobId());
            if (last.getStatus() != JobState.FINISHED) {
                String error = last.getError() == null ? String.valueOf(last.getStatus())
                        : last.getError().getCode() + " " + last.getError().getMessage();
                System.err.println("Job " + job.getJobId() + " " + last.getStatus() + ": " + error);
                return 1;
            }
            if (json) {
                System.out.println(ApiJson.MAPPER.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(ApiJson.opResults(last.getOps(), results)));
            } else {
                ResultPrinter.print(System.out, job.getJobId(), uri, last, results);
            }
            return 0;
        }
    }

    private static JobStatus follow(JobView view, String jobId, String name) throws InterruptedException {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" frames", 1).continuousUpdate()
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build()) {
            while (true) {
                Optional<JobStatus> s = view.status(jobId);
                if (s.isPresent()) {
                    JobStatus st = s.get();
                    if (st.getFramesExpected() > 0) {
                        bar.maxHint(Math.max(st.getFramesExpected(), st.getFramesSampled()));
                    }
                    bar.stepTo(st.getFramesAnalyzed());
                    bar.setExtraMessage(st.getStatus() + ", " + st.getFramesSampled() + " sampled");
                    var done = JobView.isTerminal(st.getStatus()) ? view.awaitDone(jobId) : null;
                    if (done != null && done.isDone()) {
                        if (st.getStatus() == JobState.FINISHED) {
                            bar.maxHint(st.getFramesAnalyzed());
                        }
                        return done.join().status();
                    }
                }
                Thread.sleep(100);
            }
        }
    }
}
