package io.argus.edge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.edge.security.ApiKeys;
import io.argus.edge.request.JobRequestParser;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;

/** The listing routes over real HTTP: paging of {@code GET /v1/jobs/video} and {@code GET /v1/ops}. */
class ListingRoutesTest {

    private static final int DOING = 250;

    private JobView view;
    private EdgeServer server;
    private Http http;
    /** Ids of the DOING jobs, in listing order (newest first, ties by id). */
    private final List<String> doing = new ArrayList<>();

    @BeforeEach
    void start() {
        view = new JobView();
        server = new EdgeServer(ApiKeys.open(), Duration.ofSeconds(5), List.of(new JobRoutes(new RecordingSink(),
                new RecordingControlSink(), new JobRequestParser(Set.of("terror", "pulp", "person")), view,
                Duration.ofSeconds(5), JobRoutes.DEFAULT_KILL_WAIT, Map.of("person", List.of("person"),
                "pulp", List.of("0", "1", "2"), "not-run-here", List.of("x")))));
        http = new Http(server.start(0));
        // 250 DOING jobs among 125 WAITING ones; three jobs share each created_at, so ties are
        // ordered by job id
        for (int i = 0; i < DOING + DOING / 2; i++) {
            JobState state = i % 3 == 2 ? JobState.WAITING : JobState.DOING;
            view.apply(status(String.format("job-%04d", i), state, 1_000_000L + i / 3));
        }
        for (JobStatus s : view.list(Optional.of(JobState.DOING))) {
            doing.add(s.getJobId());
        }
        assertThat(doing).hasSize(DOING);
    }

    @AfterEach
    void stop() {
        server.stop();
        view.close();
    }

    private static JobStatus status(String id, JobState state, long createdAt) {
        return JobStatus.newBuilder().setJobId(id).setVideoId("v-" + id).setStatus(state).setError(null)
                .setRequestJson("{}").setCreatedAt(createdAt).setUpdatedAt(createdAt + 1).setOps(List.of("pulp"))
                .build();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("jobs").forEach(j -> out.add(j.get("id").asText()));
        return out;
    }

    @Test
    void pagesOf100Give100100And50WithoutDuplicatesOrGaps() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        List<String> walked = new ArrayList<>();
        String marker = null;
        do {
            Http.Answer a = http.get("/v1/jobs/video?status=doing&limit=100"
                    + (marker == null ? "" : "&marker=" + enc(marker)));
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.contentType()).startsWith("application/json");
            JsonNode page = a.json();
            assertThat(page.get("jobs").isArray()).isTrue();
            assertThat(page.get("jobs").findValuesAsText("status")).containsOnly("DOING");
            assertThat(page.get("jobs").get(0).fieldNames()).toIterable()
                    .containsExactly("id", "status", "created_at", "updated_at");
            sizes.add(page.get("jobs").size());
            walked.addAll(ids(page));
            marker = page.has("marker") ? page.get("marker").asText() : null;
        } while (marker != null && sizes.size() < 10);

        assertThat(sizes).containsExactly(100, 100, 50);
        assertThat(new HashSet<>(walked)).hasSize(walked.size());
        assertThat(walked).containsExactlyElementsOf(doing);
        // the unpaged answer keeps its shape (the spec's array) and the same order
        assertThat(http.get("/v1/jobs/video?status=DOING").json().findValuesAsText("id"))
                .containsExactlyElementsOf(doing);
    }

    @Test
    void theDefaultLimitIs100AndTheLastPageHasNoMarker() throws Exception {
        JsonNode first = http.get("/v1/jobs/video?status=DOING&marker=").json();
        assertThat(ids(first)).containsExactlyElementsOf(doing.subList(0, JobRoutes.DEFAULT_PAGE_LIMIT));
        assertThat(first.get("marker").asText()).isNotEmpty();

        JsonNode all = http.get("/v1/jobs/video?status=DOING&limit=1000").json();
        assertThat(ids(all)).containsExactlyElementsOf(doing);
        assertThat(all.has("marker")).isFalse();

        JsonNode everyState = http.get("/v1/jobs/video?limit=1000").json();
        assertThat(everyState.get("jobs")).hasSize(DOING + DOING / 2);

        JsonNode none = http.get("/v1/jobs/video?status=FINISHED&limit=5").json();
        assertThat(none.get("jobs")).isEmpty();
        assertThat(none.has("marker")).isFalse();
    }

    @Test
    void aWalkIsUndisturbedByJobsAddedOrRemovedMeanwhile() throws Exception {
        JsonNode first = http.get("/v1/jobs/video?status=DOING&limit=100").json();
        String marker = first.get("marker").asText();
        // a newer job, and the removal of the job the marker names
        view.apply(status("job-new", JobState.DOING, 9_000_000L));
        view.remove(doing.get(99));

        List<String> rest = new ArrayList<>();
        while (marker != null) {
            JsonNode page = http.get("/v1/jobs/video?status=DOING&limit=100&marker=" + enc(marker)).json();
            rest.addAll(ids(page));
            marker = page.has("marker") ? page.get("marker").asText() : null;
        }
        assertThat(ids(first)).containsExactlyElementsOf(doing.subList(0, 100));
        assertThat(rest).containsExactlyElementsOf(doing.subList(100, DOING));
    }

    @Test
    void aBadLimitOrMarkerIs400InvalidParameters() throws Exception {
        String foreign = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("2:1000:job-0001".getBytes(StandardCharsets.UTF_8));
        String notANumber = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("1:soon:job-0001".getBytes(StandardCharsets.UTF_8));
        for (String query : List.of("limit=0", "limit=1001", "limit=-5", "limit=abc", "limit=1.5", "limit=%2B5",
                "limit=99999999999", "limit=10&limit=20", "marker=!!!", "marker=" + foreign, "marker=" + notANumber,
                "marker=" + "A".repeat(3000), "status=DOING&limit=100&marker=a&marker=b")) {
            Http.Answer a = http.get("/v1/jobs/video?" + query);
            assertThat(a.status()).as(query).isEqualTo(400);
            assertThat(a.json().get("error").asText()).as(query).isEqualTo("invalid parameters");
            assertThat(a.json().get("detail").asText()).as(query).containsAnyOf("limit", "marker");
        }
        // a bad status is still refused first, paged or not
        Http.Answer status = http.get("/v1/jobs/video?status=RUNNING&limit=10");
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.json().get("detail").asText()).contains("status");
    }

    @Test
    void opsAreListedWithTheirLabels() throws Exception {
        Http.Answer a = http.get("/v1/ops");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/json");
        // ops known by name only (JobRequestParser(Set)): no declared params, any accepted
        String params = ",\"params\":[],\"other_params\":true}";
        assertThat(a.body()).isEqualTo("[{\"op\":\"person\",\"labels\":[\"person\"]" + params + ","
                + "{\"op\":\"pulp\",\"labels\":[\"0\",\"1\",\"2\"]" + params + ","
                + "{\"op\":\"terror\",\"labels\":[]" + params + "]");
    }
}
