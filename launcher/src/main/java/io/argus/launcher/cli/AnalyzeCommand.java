package io.argus.launcher.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;
import io.argus.edge.request.JobRequestParser;
import io.argus.edge.view.JobView;
import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code argus analyze [VIDEO]}: starts every stage in this JVM (embedded Kafka by default),
 * submits one job through the same validation as {@code POST /v1/video}, shows progress
 * (frames analysed of expected) and prints the segments when the job ends. Missing default models
 * are installed first ({@link FirstUseModels}) unless {@code --no-model-install} is given.
 *
 * <p>The options are checked before anything starts: a mode or interval the API refuses, or a
 * local file that does not exist, ends the command at once. When a server already holds the data
 * directory ({@link DataDirLock}, {@link ServerRecord}), the job is submitted to that server over
 * its HTTP API and followed there, instead of starting a second broker on its files. While the
 * progress bar is shown, log lines go to {@code <data-dir>/logs/argus.log} ({@link LogToFile}).
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyze one video end to end and print its segments. Without VIDEO, analyzes "
                + "vtest.avi from Debian's opencv-doc (fetched on first use). When a server runs on the data "
                + "directory, the job is submitted to it.")
public final class AnalyzeCommand implements Callable<Integer> {

    /** RuntimeOptions that only a server uses: accepted by analyze (a shared --config file may set them), not listed in its help. */
    static final Set<String> SERVER_ONLY = Set.of("--hook-secret", "--hook-attempts", "--extraction-retention-days",
            "--api-keys-file", "--file-roots", "--instance-id", "--job-retention-days", "--jwt-secret-file",
            "--jwt-jwks-file", "--url-signing-secret-file");

    @Parameters(arity = "0..1", paramLabel = "VIDEO", description = "A local path or an http(s), rtmp(s) or rtsp URL.")
    String video;

    @Option(names = "--op", defaultValue = "person", split = ",",
            description = "Ops to run, comma-separated (default ${DEFAULT-VALUE}): person and motion always; "
                    + "detection (objects model) and face_detect (faces model) once the models are installed; "
                    + "any op of <data-dir>/models/ops.json. A server lists its ops at GET /v1/ops.")
    List<String> ops;

    @Option(names = "--mode", defaultValue = "0", description = "0: one frame per interval; 1: keyframes (default ${DEFAULT-VALUE}).")
    int mode;

    @Option(names = "--interval", defaultValue = "5.0",
            description = "Seconds between frames in mode 0, in [0, 10]; 0 means the default, 5 (default ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--json", description = "Print the full result as JSON (the synchronous API answer).")
    boolean json;

    @Option(names = "--no-model-install", defaultValue = "${env:ARGUS_NO_MODEL_INSTALL:-false}",
            description = "Do not install missing default models on first use (air-gapped machines; env ARGUS_NO_MODEL_INSTALL). Ops without their model fall back (person: OpenCV HOG) or are unavailable.")
    boolean noModelInstall;

    @Mixin
    RuntimeOptions runtime;

    /**
     * Hides {@link #SERVER_ONLY} options from {@code analyze --help}; they are still accepted.
     *
     * @param analyze the analyze command's spec
     */
    static void hideServerOptions(CommandSpec analyze) {
        for (OptionSpec o : List.copyOf(analyze.options())) {
            if (SERVER_ONLY.contains(o.longestName()) && !o.hidden()) {
                analyze.remove(o);
                analyze.addOption(o.toBuilder().hidden(true).build());
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        String uri = video != null ? checkedLocal(video) : null;
        RuntimeConfig config = runtime.toConfig("127.0.0.1", -1);
        try {
            // every check of POST /v1/video but the op names (known once the models are in place),
            // before anything is fetched or started
            String checked = uri != null ? uri : "/vtest.avi";
            new JobRequestParser(Set.copyOf(ops), config.security().urls()).parse(videoId(checked),
                    body(checked).toString());
        } catch (ApiException e) {
            System.err.println("error " + e.status() + ": " + e.getMessage());
            return 2;
        }
        if (uri == null) {
            uri = SampleVideos.ensure("vtest.avi").toString();
        }
        String videoId = videoId(uri);
        ObjectNode body = body(uri);

        DataDirLock lock = null;
        if (config.embeddedKafka()) {
            Optional<DataDirLock> l = DataDirLock.tryAcquire(runtime.dataDir);
            if (l.isEmpty()) {
                ServerRecord server = ServerRecord.read(runtime.dataDir).orElse(null);
                if (server != null && server.httpUrl() != null) {
                    System.err.println("Using " + DataDirLock.inUse(runtime.dataDir, server).replaceFirst(
                            "^data directory .* is in use by ", ""));
                    return new RemoteJob(ApiClient.fromEnvironment(server.httpUrl())).run(videoId, uri, body);
                }
                throw new UserException(1, DataDirLock.inUse(runtime.dataDir, server)
                        + (server != null && server.bootstrapServers() != null
                                ? "; give --bootstrap-servers " + server.bootstrapServers() + " to use its broker" : "")
                        + ", or give another --data-dir");
            }
            lock = l.get();
        }
        try {
            return runHere(config, lock, videoId, uri, body);
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    private static String videoId(String uri) {
        return Path.of(uri.replaceAll("[?#].*$", "")).getFileName().toString();
    }

    private ObjectNode body(String uri) {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.putObject("data").put("uri", uri);
        body.putObject("params").put("async", true).putObject("vframe").put("mode", mode).put("interval", interval);
        ArrayNode opList = body.putArray("ops");
        ops.forEach(op -> opList.addObject().put("op", op));
        return body;
    }

    /**
     * @param uri the VIDEO argument
     * @return an absolute path for a local file (the job may run in another process), the URI as
     *         it is otherwise
     * @throws UserException (exit 1) naming the path when a local file does not exist
     */
    private static String checkedLocal(String uri) {
        Path path;
        if (uri.startsWith("file:")) {
            path = Path.of(URI.create(uri));
        } else if (uri.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            return uri;
        } else {
            path = Path.of(uri);
        }
        if (!Files.isRegularFile(path)) {
            throw new UserException(1, "cannot find the video: " + path.toAbsolutePath()
                    + (Files.exists(path) ? " is not a file" : " does not exist"));
        }
        return path.toAbsolutePath().toString();
    }

    private int runHere(RuntimeConfig config, DataDirLock lock, String videoId, String uri, ObjectNode body)
            throws IOException, InterruptedException {
        if (!noModelInstall) {
            FirstUseModels.ensure(runtime.dataDir.resolve("models"), System.err);
        }
        Path logFile = runtime.dataDir.toAbsolutePath().resolve("logs").resolve("argus.log");
        JobStatus last;
        Map<String, OpResult> results;
        String jobId;
        try (LogToFile logs = LogToFile.start(logFile)) {
            PrintStream terminal = logs.terminal();
            terminal.println("Starting Argus (log: " + logFile + ")");
            try (ArgusRuntime rt = ArgusRuntime.start(config)) {
                if (lock != null) {
                    lock.record(ServerRecord.ofThisProcess("analyze", null, rt.kafka().bootstrapServers()));
                }
                JobRequest job;
                try {
                    job = rt.submit(videoId, body.toString());
                } catch (ApiException e) {
                    terminal.println("error " + e.status() + ": " + e.getMessage());
                    return 2;
                }
                jobId = job.getJobId();
                last = follow(rt.view(), jobId, videoId, terminal);
                results = rt.view().results(jobId);
            }
        }
        if (last.getStatus() != JobState.FINISHED) {
            String error = last.getError() == null ? String.valueOf(last.getStatus())
                    : last.getError().getCode() + " " + last.getError().getMessage();
            System.err.println("Job " + jobId + " " + last.getStatus() + ": " + error + " (log: " + logFile + ")");
            return 1;
        }
        ObjectNode result = ApiJson.opResults(last.getOps(), results);
        if (json) {
            System.out.println(ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else {
            ResultPrinter.print(System.out, jobId, uri, last.getStatus().name(), last.getFramesAnalyzed(), result);
        }
        return 0;
    }

    private static ProgressBar bar(String name, PrintStream terminal) {
        return new ProgressBarBuilder().setTaskName(name).setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" frames", 1).continuousUpdate()
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(terminal)).build();
    }

    private static JobStatus follow(JobView view, String jobId, String name, PrintStream terminal)
            throws InterruptedException {
        try (ProgressBar bar = bar(name, terminal)) {
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

    /** The job submitted to, and followed on, the server holding the data directory. */
    private final class RemoteJob {

        private final ApiClient api;

        RemoteJob(ApiClient api) {
            this.api = api;
        }

        int run(String videoId, String uri, ObjectNode body) throws IOException, InterruptedException {
            ApiClient.Answer submitted = api.postJson("/v1/video/" + URLEncoder.encode(videoId, StandardCharsets.UTF_8)
                    .replace("+", "%20"), body.toString());
            if (submitted.status() != 200 || submitted.body() == null || !submitted.body().has("job")) {
                System.err.println("error " + submitted.status() + ": " + submitted.error());
                return 2;
            }
            String jobId = submitted.body().path("job").asText();
            JsonNode job;
            int finishedPolls = 0;
            try (ProgressBar bar = bar(videoId, System.err)) {
                while (true) {
                    ApiClient.Answer a = api.get("/v1/jobs/video/" + jobId);
                    if (a.status() == 200 && a.body() != null) {
                        job = a.body();
                        JsonNode p = job.path("progress");
                        long expected = p.path("frames_expected").asLong(-1);
                        if (expected > 0) {
                            bar.maxHint(Math.max(expected, p.path("frames_sampled").asLong()));
                        }
                        bar.stepTo(p.path("frames_analyzed").asLong());
                        bar.setExtraMessage(job.path("status").asText() + ", " + p.path("frames_sampled").asLong()
                                + " sampled");
                        String status = job.path("status").asText();
                        if (status.equals("FINISHED")) {
                            bar.maxHint(p.path("frames_analyzed").asLong());
                            // the job's status can be read a moment before its last op result
                            if (job.path("result").size() >= ops.size() || ++finishedPolls > 50) {
                                break;
                            }
                        } else if (status.equals("FAILED") || status.equals("CANCELLED")) {
                            break;
                        }
                    }
                    Thread.sleep(200);
                }
            }
            String status = job.path("status").asText();
            if (!status.equals("FINISHED")) {
                System.err.println("Job " + jobId + " " + status + ": " + job.path("error").asText(status));
                return 1;
            }
            if (json) {
                System.out.println(ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(job.path("result")));
            } else {
                ResultPrinter.print(System.out, jobId, uri, status, job.path("progress").path("frames_analyzed").asLong(),
                        job.path("result"));
            }
            return 0;
        }
    }
}
