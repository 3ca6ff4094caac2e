package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.cli.ArgusCommand;
import io.argus.schemas.avro.FrameResult;

/**
 * The command line as users run it: each command in its own JVM ({@link CliProcess}), checked on
 * what it prints, its exit code and what it leaves in the data directory.
 */
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QUICK = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void versionAndHelpSayWhatTheCodeDoes() throws Exception {
        CliProcess version = CliProcess.run(dir, "version", QUICK, "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).containsPattern("^argus \\d+\\.\\d+\\.\\d+");
        assertThat(version.out()).doesNotContain("${project.version}");

        String analyze = ArgusCommand.commandLine(new String[0]).getSubcommands().get("analyze").getUsageMessage();
        assertThat(analyze).as("server-only options are not listed")
                .doesNotContain("--hook-secret", "--hook-attempts", "--api-keys-file", "--extraction-retention-days",
                        "--instance-id", "--file-roots", "--job-retention-days");
        assertThat(analyze.replaceAll("\\s+", " ")).contains("[0, 10]; 0 means the default, 5")
                .contains("person and motion always").contains("detection").contains("face_detect");
        // hidden, still accepted (a shared --config file may set them)
        assertThat(ArgusCommand.commandLine(new String[0]).parseArgs("analyze", "--hook-attempts", "3").hasSubcommand())
                .isTrue();
        String server = ArgusCommand.commandLine(new String[0]).getSubcommands().get("server").getUsageMessage()
                .replaceAll("\\s+", " ");
        for (String env : List.of("ARGUS_HTTP_PORT", "ARGUS_HTTP_HOST", "ARGUS_PARTITIONS", "ARGUS_ANALYZER_THREADS",
                "ARGUS_INSTANCE_ID", "ARGUS_INGEST_SLOTS", "ARGUS_LIVE_SLOTS", "ARGUS_REPLICATION_FACTOR")) {
            assertThat(server).contains("env " + env);
        }
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingStarts() throws Exception {
        for (String[] bad : List.of(new String[] {"--interval", "20"}, new String[] {"--mode", "3"},
                new String[] {"--interval", "-1"})) {
            long t0 = System.nanoTime();
            CliProcess p = CliProcess.run(dir, "bad", QUICK, "analyze", "--data-dir", "d", bad[0], bad[1]);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(p.exitCode()).as(p.err()).isEqualTo(2);
            assertThat(p.err()).containsPattern("error 400: invalid (interval|mode)");
            assertThat(seconds).as("refused without starting a broker").isLessThan(8);
            assertThat(dir.resolve("d")).doesNotExist();
        }
        CliProcess missing = CliProcess.run(dir, "missing", QUICK, "analyze", "no/such/video.mp4", "--data-dir", "d");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("argus: cannot find the video: " + dir.resolve("no/such/video.mp4"))
                .contains("does not exist");
        assertThat(missing.err()).doesNotContain("\tat ", "Exception");
        assertThat(dir.resolve("d")).doesNotExist();
    }

    @Test
    void resultsWithoutAServerSaysWhatToDo() throws Exception {
        CliProcess p = CliProcess.run(dir, "results", QUICK, "results", "--data-dir", "d");
        assertThat(p.exitCode()).isEqualTo(1);
        assertThat(p.err()).contains("no Argus server is running on data directory d")
                .contains("./argus server --data-dir d").contains("--bootstrap-servers");
        assertThat(p.err()).doesNotContain("\tat ", "Exception");
    }

    /** {@code argus results --job} reads the one partition Kafka's producer puts the job's records on. */
    @Test
    void theJobsPartitionIsTheProducersChoice() {
        for (String job : List.of("c2bba6e4-efd0-4056-b93b-170d870d55cd", "a", "job-42", "ffffffff")) {
            for (int n : new int[] {1, 4, 12}) {
                assertThat(io.argus.launcher.cli.ResultsCommand.partitionOf(job, n))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(job.getBytes(StandardCharsets.UTF_8), n));
            }
        }
    }

    /**
     * With a server on a data directory, a second server or broker there is refused at once and
     * changes nothing; analyze submits its job to the server; results finds the broker and the
     * registry in server.json, prints every FrameResult field and the frame's URL, which serves the
     * JPEG; a clean stop removes server.json.
     */
    @Test
    void commandsOnARunningServersDataDirectoryUseThatServer() throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        Path data = dir.resolve("d");
        try (CliProcess server = CliProcess.start(dir, "server", "server", "--port", "0", "--data-dir", "d",
                "--analyzer-threads", "1")) {
            server.awaitOut("Argus listening on", Duration.ofSeconds(180));
            JsonNode record = JSON.readTree(data.resolve("server.json").toFile());
            assertThat(record.path("pid").asLong()).isEqualTo(server.pid());
            String http = record.path("http_url").asText();
            assertThat(server.out()).contains(http);
            assertThat(record.path("bootstrap_servers").asText()).isEqualTo("127.0.0.1:"
                    + Files.readString(data.resolve("kafka/port")).trim());
            String port = Files.readString(data.resolve("kafka/port"));
            long portWritten = Files.getLastModifiedTime(data.resolve("kafka/port")).toMillis();

            for (String cmd : List.of("server", "broker")) {
                CliProcess second = CliProcess.run(dir, "second-" + cmd, QUICK, cmd, "--data-dir", "d");
                assertThat(second.exitCode()).as(second.err()).isEqualTo(1);
                assertThat(second.err()).contains("data directory d is in use by the server (pid " + server.pid())
                        .contains(http).doesNotContain("\tat ");
            }
            assertThat(Files.readString(data.resolve("kafka/port"))).isEqualTo(port);
            assertThat(Files.getLastModifiedTime(data.resolve("kafka/port")).toMillis()).isEqualTo(portWritten);

            CliProcess analyze = CliProcess.run(dir, "analyze", Duration.ofSeconds(180), "analyze", vtest.toString(),
                    "--mode", "1", "--data-dir", "d", "--no-model-install");
            assertThat(analyze.exitCode()).as(analyze.out() + analyze.err()).isZero();
            assertThat(analyze.err()).contains("Using the server (pid " + server.pid());
            Matcher m = Pattern.compile("Job (\\S+) FINISHED: .*, 4 frames analysed").matcher(analyze.out());
            assertThat(m.find()).as(analyze.out()).isTrue();
            String job = m.group(1);
            assertThat(analyze.out()).contains("op person");
            assertThat(server.alive()).isTrue();

            CliProcess results = CliProcess.run(dir, "results", QUICK, "results", "--data-dir", "d", "--job", job,
                    "--max", "4", "--idle-timeout", "20");
            assertThat(results.exitCode()).as(results.err()).isZero();
            List<String> lines = results.out().lines().toList();
            assertThat(lines).hasSize(4);
            JsonNode first = null;
            for (String l : lines) {
                JsonNode n = JSON.readTree(l);
                for (var f : FrameResult.getClassSchema().getFields()) {
                    assertThat(n.has(f.name())).as("field " + f.name() + " in " + l).isTrue();
                }
                assertThat(n.path("job_id").asText()).isEqualTo(job);
                assertThat(n.path("analyzer").asText()).isEqualTo("0");
                first = first == null || n.path("seq").asLong() < first.path("seq").asLong() ? n : first;
            }
            assertThat(first.path("detections").isArray()).isTrue();
            assertThat(first.path("processing_ms").asDouble()).isPositive();
            // nothing new since: --from latest prints nothing
            CliProcess latest = CliProcess.run(dir, "latest", QUICK, "results", "--data-dir", "d", "--job", job,
                    "--from", "latest", "--idle-timeout", "4");
            assertThat(latest.exitCode()).as(latest.err()).isZero();
            assertThat(latest.out()).isEmpty();

            // the frame over HTTP, at the URL the result names
            String url = first.path("url").asText();
            assertThat(url).startsWith(http + "/v1/frames?uri=");
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<byte[]> jpeg = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(jpeg.statusCode()).isEqualTo(200);
            assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(jpeg.body()).startsWith((byte) 0xFF, (byte) 0xD8);
            assertThat(jpeg.body()).isEqualTo(Files.readAllBytes(Path.of(URI.create(first.path("uri").asText()))));
            // cuts carry the same URL, relative to the API
            HttpResponse<String> jobAnswer = client.send(HttpRequest.newBuilder(URI.create(http + "/v1/jobs/video/" + job))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode cut = JSON.readTree(jobAnswer.body()).at("/result/person/segments/0/cuts/0");
            assertThat(cut.path("url").asText()).isEqualTo("/v1/frames?uri="
                    + URLEncoder.encode(cut.path("uri").asText(), StandardCharsets.UTF_8));
            Map<String, Integer> refused = Map.of("file:///etc/passwd", 400,
                    data.resolve("frames").toUri() + job + "/99999999.jpg", 404,
                    data.resolve("frames").resolve(job).toUri().toString(), 404);
            for (var e : refused.entrySet()) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(http + "/v1/frames?uri="
                        + URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(e.getKey() + ": " + r.body()).isEqualTo(e.getValue());
            }

            assertThat(server.terminate(Duration.ofSeconds(90))).as("stops on SIGTERM").isTrue();
            assertThat(data.resolve("server.json")).doesNotExist();
            assertThat(Files.readString(data.resolve("kafka/port"))).isEqualTo(port);
        }
        CliProcess none = CliProcess.run(dir, "after", QUICK, "results", "--data-dir", "d");
        assertThat(none.err()).contains("no Argus server is running on data directory d");
    }

    /**
     * A local analyze keeps its logs out of the progress bar, in data/logs/argus.log, and the
     * expected Kafka noise of every start is not logged as a warning.
     */
    @Test
    void analyzeLogsToAFileAndExpectedNoiseIsNotAWarning() throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        CliProcess analyze = CliProcess.run(dir, "analyze", Duration.ofSeconds(240), "analyze", vtest.toString(),
                "--mode", "1", "--data-dir", "d", "--no-model-install", "--analyzer-threads", "1");
        assertThat(analyze.exitCode()).as(analyze.out() + analyze.err()).isZero();
        Path log = dir.resolve("d/logs/argus.log");
        assertThat(analyze.err()).contains("log: " + log);
        assertThat(analyze.err()).doesNotContain(" INFO ", " WARN ", "\tat ");
        String logged = Files.readString(log);
        assertThat(logged).contains("Embedded Kafka broker on 127.0.0.1:");
        assertThat(logged).doesNotContain("TOPIC_ALREADY_EXISTS", "Not updating high watermark",
                "has been already registered");
        assertThat(analyze.out()).contains("4 frames analysed");
        assertThat(dir.resolve("d/server.json")).as("removed on exit").doesNotExist();
    }

    /** {@code argus broker}: the embedded broker alone, its address printed and recorded. */
    @Test
    void brokerRunsTheEmbeddedKafkaAlone() throws Exception {
        try (CliProcess broker = CliProcess.start(dir, "broker", "broker", "--data-dir", "d")) {
            broker.awaitOut("Kafka broker on 127.0.0.1:", Duration.ofSeconds(90));
            Matcher m = Pattern.compile("Kafka broker on (127\\.0\\.0\\.1:\\d+) \\(data in (.*)\\)").matcher(broker.out());
            assertThat(m.find()).isTrue();
            assertThat(Path.of(m.group(2))).isEqualTo(dir.resolve("d/kafka").toAbsolutePath());
            JsonNode record = JSON.readTree(dir.resolve("d/server.json").toFile());
            assertThat(record.path("command").asText()).isEqualTo("broker");
            assertThat(record.path("bootstrap_servers").asText()).isEqualTo(m.group(1));
            assertThat(record.has("http_url")).isFalse();
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", m.group(1)))) {
                assertThat(admin.describeCluster().nodes().get()).hasSize(1);
            }
            CliProcess analyze = CliProcess.run(dir, "analyze", QUICK, "analyze", "--data-dir", "d",
                    SampleVideos.ensure("vtest.avi").toString());
            assertThat(analyze.exitCode()).isEqualTo(1);
            assertThat(analyze.err()).contains("in use by argus broker").contains("--bootstrap-servers " + m.group(1));
            assertThat(broker.terminate(Duration.ofSeconds(60))).isTrue();
        }
    }

    /** A frame store that cannot be reached stops the server with the reason, not a stack trace. */
    @Test
    void anUnreachableS3StoreIsReportedWithoutAStackTrace() throws Exception {
        CliProcess p = CliProcess.run(dir, "s3", Duration.ofSeconds(120), "server", "--data-dir", "d", "--port", "0",
                "--frame-store", "s3://argus-frames?endpoint=http://127.0.0.1:9&connect_timeout_ms=500&request_timeout_ms=1000");
        assertThat(p.exitCode()).isEqualTo(1);
        assertThat(p.err()).contains("argus: ").contains("argus-frames").doesNotContain("\tat ");
        assertThat(dir.resolve("d/server.json")).doesNotExist();
    }
}
