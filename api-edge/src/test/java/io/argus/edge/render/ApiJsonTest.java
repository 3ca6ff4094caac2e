package io.argus.edge.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.avro.Cut;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.Segment;

class ApiJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2006-01-02T15:04:05Z plus 999 ms. */
    private static final long T0 = Instant.parse("2006-01-02T15:04:05.999Z").toEpochMilli();

    /** What a client sees: the rendered tree written as text and read back. */
    static JsonNode rt(JsonNode node) throws Exception {
        return JSON.readTree(ApiJson.write(node));
    }

    static Label label(String name, float score) {
        return Label.newBuilder().setLabel(name).setScore(score).build();
    }

    static OpResult opResult(String op, boolean terminated) {
        Segment s1 = Segment.newBuilder().setJobId("j").setVideoId("v").setOp(op).setIndex(0)
                .setOffsetBegin(0).setOffsetEnd(5000)
                .setLabels(List.of(label("person", 0.9f)))
                .setCuts(List.of(
                        Cut.newBuilder().setOffsetMs(0).setUri("file:///frames/j/0.jpg")
                                .setResultJson("{\"detections\":[{\"class\":\"person\",\"score\":0.9}]}").build(),
                        Cut.newBuilder().setOffsetMs(5000).setUri(null).setResultJson("not json").build()))
                .build();
        Segment s2 = Segment.newBuilder().setJobId("j").setVideoId("v").setOp(op).setIndex(1)
                .setOffsetBegin(10000).setOffsetEnd(10000)
                .setLabels(List.of())
                .setCuts(List.of(Cut.newBuilder().setOffsetMs(10000).setUri("u").setResultJson("{}").build()))
                .build();
        return OpResult.newBuilder().setJobId("j").setVideoId("v").setOp(op)
                .setLabels(List.of(label("person", 0.9f), label("car", 0.5f)))
                .setSegments(List.of(s1, s2)).setFrames(3).setTerminated(terminated).build();
    }

    static JobStatus status(JobState state, ErrorInfo error) {
        return JobStatus.newBuilder().setJobId("job-7").setVideoId("vid-7").setStatus(state).setError(error)
                .setRequestJson("{\"data\":{\"uri\":\"a.mp4\"},\"ops\":[{\"op\":\"pulp\"},{\"op\":\"terror\"}]}")
                .setCreatedAt(T0).setUpdatedAt(T0 + 61_000)
                .setOps(List.of("pulp", "terror")).setOpsDone(List.of("pulp"))
                .setFramesSampled(12).setFramesAnalyzed(10).setFramesExpected(16).build();
    }

    @Test
    void opResultHasTheCallbackShape() throws Exception {
        JsonNode json = rt(ApiJson.opResult(opResult("pulp", false)));

        assertThat(json.get("labels")).isEqualTo(JSON.readTree(
                "[{\"label\":\"person\",\"score\":0.9},{\"label\":\"car\",\"score\":0.5}]"));
        assertThat(json.has("terminated")).isFalse();
        JsonNode segments = json.get("segments");
        assertThat(segments).hasSize(2);
        JsonNode s1 = segments.get(0);
        assertThat(s1.get("offset_begin").isIntegralNumber()).isTrue();
        assertThat(s1.get("offset_begin").asLong()).isEqualTo(0);
        assertThat(s1.get("offset_end").asLong()).isEqualTo(5000);
        assertThat(s1.get("labels").get(0).get("label").asText()).isEqualTo("person");
        JsonNode cut0 = s1.get("cuts").get(0);
        assertThat(cut0.get("offset").asLong()).isEqualTo(0);
        assertThat(cut0.get("uri").asText()).isEqualTo("file:///frames/j/0.jpg");
        // where the edge serves the frame, relative to the API (GET /v1/frames?uri=…)
        assertThat(cut0.get("url").asText()).isEqualTo("/v1/frames?uri=file%3A%2F%2F%2Fframes%2Fj%2F0.jpg");
        assertThat(cut0.get("result").isObject()).isTrue();
        assertThat(cut0.at("/result/detections/0/class").asText()).isEqualTo("person");
        JsonNode cut1 = s1.get("cuts").get(1);
        assertThat(cut1.has("uri")).isFalse();
        assertThat(cut1.has("url")).isFalse();
        assertThat(cut1.get("result").isTextual()).isTrue();
        assertThat(cut1.get("result").asText()).isEqualTo("not json");
        assertThat(segments.get(1).get("labels")).isEmpty();
        assertThat(segments.get(1).get("offset_begin").asLong()).isEqualTo(10000);
        assertThat(json.fieldNames()).toIterable().containsExactly("labels", "segments");
    }

    @Test
    void terminatedAppearsOnlyWhenTheOpStoppedEarly() {
        assertThat(ApiJson.opResult(opResult("pulp", true)).get("terminated").asBoolean()).isTrue();
    }

    @Test
    void opResultsFollowTheJobsOpOrder() {
        ObjectNode json = ApiJson.opResults(List.of("terror", "pulp"),
                Map.of("pulp", opResult("pulp", false), "terror", opResult("terror", false),
                        "extra", opResult("extra", false)));
        assertThat(json.fieldNames()).toIterable().containsExactly("terror", "pulp", "extra");
        assertThat(json.get("pulp")).isEqualTo(ApiJson.opResult(opResult("pulp", false)));
    }

    @Test
    void jobHasTheGetShape() throws Exception {
        JsonNode json = rt(ApiJson.job(status(JobState.DOING, null), Map.of("pulp", opResult("pulp", false))));

        assertThat(json.get("id").asText()).isEqualTo("job-7");
        assertThat(json.get("vid").asText()).isEqualTo("vid-7");
        assertThat(json.get("request")).isEqualTo(JSON.readTree(
                "{\"data\":{\"uri\":\"a.mp4\"},\"ops\":[{\"op\":\"pulp\"},{\"op\":\"terror\"}]}"));
        assertThat(json.get("status").asText()).isEqualTo("DOING");
        assertThat(json.get("result").fieldNames()).toIterable().containsExactly("pulp");
        assertThat(json.at("/result/pulp/segments/0/offset_end").asLong()).isEqualTo(5000);
        assertThat(json.has("error")).isFalse();
        assertThat(json.get("created_at").asText()).isEqualTo("2006-01-02T15:04:05Z");
        assertThat(json.get("updated_at").asText()).isEqualTo("2006-01-02T15:05:06Z");
        assertThat(json.get("progress")).isEqualTo(JSON.readTree(
                "{\"frames_sampled\":12,\"frames_analyzed\":10,\"frames_expected\":16}"));
    }

    @Test
    void jobCarriesTheErrorMessageWhenItFailed() {
        ObjectNode json = ApiJson.job(status(JobState.FAILED,
                ErrorInfo.newBuilder().setCode(424).setMessage("cannot find the video").build()), Map.of());
        assertThat(json.get("status").asText()).isEqualTo("FAILED");
        assertThat(json.get("error").asText()).isEqualTo("cannot find the video");
        assertThat(json.get("result")).isEmpty();
    }

    @Test
    void listItemHasTheListShape() throws Exception {
        JsonNode list = rt(ApiJson.list(List.of(status(JobState.FINISHED, null))));
        assertThat(list).hasSize(1);
        assertThat(list.get(0)).isEqualTo(JSON.readTree("{\"id\":\"job-7\",\"status\":\"FINISHED\","
                + "\"created_at\":\"2006-01-02T15:04:05Z\",\"updated_at\":\"2006-01-02T15:05:06Z\"}"));
    }

    @Test
    void timesAreUtcWithoutZoneSuffix() {
        assertThat(ApiJson.time(0)).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(ApiJson.time(T0)).isEqualTo("2006-01-02T15:04:05Z");
    }

    @Test
    void unparseableJsonStaysText() {
        assertThat(ApiJson.parseOrText("").isTextual()).isTrue();
        assertThat(ApiJson.parseOrText("[1]").isArray()).isTrue();
        assertThat(ApiJson.parseOrText(null).isNull()).isTrue();
    }

    @Test
    void aSegmentRendersAsInsideAnOpResult() throws Exception {
        OpResult r = opResult("pulp", false);
        for (int i = 0; i < r.getSegments().size(); i++) {
            assertThat(rt(ApiJson.segment(r.getSegments().get(i)))).isEqualTo(rt(ApiJson.opResult(r)).at("/segments/" + i));
        }
    }

    @Test
    void jobStateIsTheKillAnswer() throws Exception {
        JobStatus s = JobStatus.newBuilder().setJobId("j").setVideoId("v").setStatus(JobState.CANCELLED)
                .setRequestJson("{}").setCreatedAt(T0).setUpdatedAt(T0 + 60_000).build();
        JsonNode j = rt(ApiJson.jobState(s));
        assertThat(j.fieldNames()).toIterable().containsExactly("status", "created_at", "updated_at");
        assertThat(j.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(j.get("created_at").asText()).isEqualTo("2006-01-02T15:04:05Z");
        assertThat(j.get("updated_at").asText()).isEqualTo("2006-01-02T15:05:05Z");
    }

    private static String problem(ObjectMapper mapper, String text) {
        try {
            mapper.readTree(text);
        } catch (java.io.IOException e) {
            return ApiJson.jsonProblem(e);
        }
        throw new AssertionError("valid JSON: " + text);
    }

    @Test
    void jsonProblemsAreSaidWithoutJacksonNames() {
        ObjectMapper strict = new ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        assertThat(problem(JSON, "{\"a\":NaN}")).isEqualTo("Non-standard token 'NaN' (not JSON) at line 1, column 9");
        assertThat(problem(JSON, "{\"a\":1")).startsWith("Unexpected end-of-input")
                .contains("line 1, column 1").doesNotContain("Source").doesNotContain("Feature");
        assertThat(problem(strict, "{\"a\":1} {}")).startsWith("Trailing token")
                .doesNotContain("Feature").doesNotContain("com.fasterxml").doesNotContain("`");
        for (String bad : List.of("{'a':1}", "[1,,2]", "{\"a\":\"x\ny\"}", "{\"a\":Infinity}", "{\"a\":01}")) {
            assertThat(problem(strict, bad)).as(bad).doesNotContain("Feature").doesNotContain("Source:")
                    .doesNotContain("com.fasterxml").contains("line 1");
        }
    }

    @Test
    void requestUrlsAreRedactedAndOtherStringsKept() throws Exception {
        JsonNode request = JSON.readTree("{\"data\":{\"uri\":\"http://u:pw@h/v.mp4?key=k&x=1\"},"
                + "\"ops\":[{\"op\":\"pulp\",\"hookURL\":\"https://h/x?token=t\"}],\"note\":\"a?token=b\","
                + "\"list\":[\"rtsp://a:b@cam/1\",3]}");
        JsonNode r = ApiJson.redacted(request);
        assertThat(r.at("/data/uri").asText()).isEqualTo("http://***@h/v.mp4?key=***&x=1");
        assertThat(r.at("/ops/0/hookURL").asText()).isEqualTo("https://h/x?token=***");
        assertThat(r.at("/ops/0/op").asText()).isEqualTo("pulp");
        assertThat(r.at("/note").asText()).as("not a URL").isEqualTo("a?token=b");
        assertThat(r.at("/list/0").asText()).isEqualTo("rtsp://***@cam/1");
        assertThat(r.at("/list/1").asInt()).isEqualTo(3);
    }

    @Test
    void theSyncAnswerCarriesTheJobIdAfterTheOps() {
        OpResult pulp = OpResult.newBuilder().setJobId("j").setVideoId("v").setOp("pulp").setLabels(List.of())
                .setSegments(List.of()).setFrames(1).build();
        ObjectNode answer = ApiJson.syncAnswer("job-7", List.of("pulp"), Map.of("pulp", pulp));
        assertThat(answer.fieldNames()).toIterable().containsExactly("pulp", "job");
        assertThat(answer.get("job").asText()).isEqualTo("job-7");
        assertThat(answer.get("pulp").isObject()).isTrue();
    }
}
