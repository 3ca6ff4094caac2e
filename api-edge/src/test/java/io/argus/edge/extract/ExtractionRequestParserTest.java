package io.argus.edge.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.argus.edge.request.ApiException;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.ExtractionState;
import io.argus.schemas.avro.ExtractionStatus;
import io.argus.schemas.avro.FlowSpec;

class ExtractionRequestParserTest {

    private final ExtractionRequestParser parser = new ExtractionRequestParser(() -> "req-1", () -> 1_700_000_000_000L,
            () -> 4242L);

    private ParsedExtraction parse(ExtractionKind kind, String body) {
        return parser.parse(kind, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void uniformDefaultsAndWaitingStatus() {
        String body = "{\"uri\":\"/videos/a.mp4\",\"pattern\":\"uniform\"}";
        ParsedExtraction p = parse(ExtractionKind.FRAME, body);
        ExtractionRequest r = p.request();
        assertThat(r.getRequestId()).isEqualTo("req-1");
        assertThat(r.getKind()).isEqualTo(ExtractionKind.FRAME);
        assertThat(r.getPattern()).isEqualTo("uniform");
        assertThat(r.getIntervalS()).isEqualTo(5.0);
        assertThat(r.getCount()).isNull();
        assertThat(r.getSeed()).isNull();
        assertThat(r.getThreshold()).isNull();
        assertThat(r.getStartS()).isNull();
        assertThat(r.getDurationS()).isNull();
        assertThat(r.getFlow()).isNull();
        assertThat(r.getVideoId()).isEqualTo(ExtractionRequestParser.videoIdOf("/videos/a.mp4"));
        assertThat(r.getCreatedAt()).isEqualTo(1_700_000_000_000L);
        assertThat(r.getRequestJson()).isEqualTo(body);
        ExtractionStatus w = p.waiting();
        assertThat(w.getRequestId()).isEqualTo("req-1");
        assertThat(w.getState()).isEqualTo(ExtractionState.WAITING);
        assertThat(w.getFrames()).isZero();
        assertThat(w.getVideoId()).isEqualTo(r.getVideoId());
        assertThat(w.getUri()).isEqualTo("/videos/a.mp4");
        assertThat(w.getPattern()).isEqualTo("uniform");
        assertThat(w.getCreatedAt()).isEqualTo(w.getUpdatedAt()).isEqualTo(r.getCreatedAt());
    }

    @Test
    void derivedVideoIdIsStableAndKeySafe() {
        String a = ExtractionRequestParser.videoIdOf("http://example.com/a.mp4?x=1");
        assertThat(a).isEqualTo(ExtractionRequestParser.videoIdOf("http://example.com/a.mp4?x=1"))
                .isNotEqualTo(ExtractionRequestParser.videoIdOf("http://example.com/b.mp4"))
                .matches("v-[0-9a-f]{16}");
        assertThat(ExtractionIds.validVideoId(a)).isTrue();
    }

    @Test
    void everyPatternWithItsParameters() {
        ExtractionRequest u = parse(ExtractionKind.FRAME,
                "{\"uri\":\"file:///v/a.mp4\",\"video_id\":\"cam-1.day_2\",\"pattern\":\"UNIFORM\",\"interval\":3600,"
                        + "\"ss\":1.5,\"t\":10}").request();
        assertThat(u.getPattern()).isEqualTo("uniform");
        assertThat(u.getVideoId()).isEqualTo("cam-1.day_2");
        assertThat(u.getIntervalS()).isEqualTo(3600.0);
        assertThat(u.getStartS()).isEqualTo(1.5);
        assertThat(u.getDurationS()).isEqualTo(10.0);

        ExtractionRequest k = parse(ExtractionKind.FRAME, "{\"uri\":\"https://h/v.mp4\",\"pattern\":\"keyframe\","
                + "\"ss\":0,\"t\":0}").request();
        assertThat(k.getIntervalS()).isNull();
        assertThat(k.getStartS()).isNull();
        assertThat(k.getDurationS()).isNull();

        ExtractionRequest r = parse(ExtractionKind.FRAME, "{\"uri\":\"v.mp4\",\"pattern\":\"random\"}").request();
        assertThat(r.getCount()).isEqualTo(10);
        assertThat(r.getSeed()).isEqualTo(4242L);
        ExtractionRequest r2 = parse(ExtractionKind.FRAME,
                "{\"uri\":\"v.mp4\",\"pattern\":\"random\",\"count\":1000,\"seed\":-9007199254740993}").request();
        assertThat(r2.getCount()).isEqualTo(1000);
        assertThat(r2.getSeed()).isEqualTo(-9007199254740993L);
        assertThat(parse(ExtractionKind.FRAME, "{\"uri\":\"v.mp4\",\"pattern\":\"random\",\"count\":7.0}")
                .request().getCount()).isEqualTo(7);

        ExtractionRequest s = parse(ExtractionKind.FRAME, "{\"uri\":\"v.mp4\",\"pattern\":\"scene\"}").request();
        assertThat(s.getThreshold()).isNull();
        assertThat(parse(ExtractionKind.FRAME, "{\"uri\":\"v.mp4\",\"pattern\":\"scene\",\"threshold\":1}")
                .request().getThreshold()).isEqualTo(1.0);
    }

    @Test
    void nullMeansAbsent() {
        ExtractionRequest r = parse(ExtractionKind.FRAME, "{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"video_id\":null,"
                + "\"interval\":null,\"count\":null,\"ss\":null,\"flow\":null}").request();
        assertThat(r.getIntervalS()).isEqualTo(5.0);
        assertThat(r.getVideoId()).isEqualTo(ExtractionRequestParser.videoIdOf("v.mp4"));
    }

    @Test
    void flowDefaultsAndChoices() {
        FlowSpec d = parse(ExtractionKind.FLOW, "{\"uri\":\"v.mp4\",\"pattern\":\"uniform\"}").request().getFlow();
        assertThat(d.getAlgorithm()).isEqualTo("DIS");
        assertThat(d.getPreset()).isEqualTo("FAST");
        assertThat(d.getGap()).isEqualTo(1);
        assertThat(d.getScale()).isEqualTo(1.0);
        FlowSpec f = parse(ExtractionKind.FLOW, "{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"flow\":{"
                + "\"algorithm\":\"farneback\",\"preset\":\"ultrafast\",\"gap\":25,\"scale\":0.5}}").request().getFlow();
        assertThat(f.getAlgorithm()).isEqualTo("FARNEBACK");
        assertThat(f.getPreset()).isEqualTo("ULTRAFAST");
        assertThat(f.getGap()).isEqualTo(25);
        assertThat(f.getScale()).isEqualTo(0.5);
        ParsedExtraction p = parse(ExtractionKind.FLOW, "{\"uri\":\"v.mp4\",\"pattern\":\"random\",\"flow\":{}}");
        assertThat(p.request().getKind()).isEqualTo(ExtractionKind.FLOW);
        assertThat(p.waiting().getKind()).isEqualTo(ExtractionKind.FLOW);
        assertThat(p.request().getFlow().getAlgorithm()).isEqualTo("DIS");
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                // body
                Arguments.of("", "body must be a JSON object"),
                Arguments.of("[]", "body must be a JSON object"),
                Arguments.of("{\"uri\":", "body must be a JSON object"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\"} {}", "body must be a JSON object"),
                Arguments.of("{\"uri\":\"a\",\"uri\":\"b\",\"pattern\":\"uniform\"}", "body must be a JSON object"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"mode\":1}", "unknown field 'mode'"),
                // uri
                Arguments.of("{\"pattern\":\"uniform\"}", "uri is required"),
                Arguments.of("{\"uri\":null,\"pattern\":\"uniform\"}", "uri is required"),
                Arguments.of("{\"uri\":5,\"pattern\":\"uniform\"}", "uri must be a string"),
                Arguments.of("{\"uri\":\"  \",\"pattern\":\"uniform\"}", "uri must not be empty"),
                Arguments.of("{\"uri\":\" v.mp4\",\"pattern\":\"uniform\"}", "uri must not contain"),
                Arguments.of("{\"uri\":\"rtmp://h/live/s\",\"pattern\":\"uniform\"}",
                        "live sources are not supported for extraction"),
                Arguments.of("{\"uri\":\"RTSP://cam/1\",\"pattern\":\"uniform\"}",
                        "live sources are not supported for extraction"),
                Arguments.of("{\"uri\":\"rtmps://h/live/s\",\"pattern\":\"uniform\"}",
                        "live sources are not supported for extraction"),
                Arguments.of("{\"uri\":\"ftp://h/v.mp4\",\"pattern\":\"uniform\"}", "uri scheme 'ftp' is not supported"),
                Arguments.of("{\"uri\":\"http:v.mp4\",\"pattern\":\"uniform\"}", "uri must be an absolute http(s) URL"),
                Arguments.of("{\"uri\":\"http://h/a b.mp4\",\"pattern\":\"uniform\"}", "uri is not a valid URI"),
                // video_id
                Arguments.of("{\"uri\":\"v.mp4\",\"video_id\":\"a/b\",\"pattern\":\"uniform\"}", "video_id must be"),
                Arguments.of("{\"uri\":\"v.mp4\",\"video_id\":\"\",\"pattern\":\"uniform\"}", "video_id must be"),
                Arguments.of("{\"uri\":\"v.mp4\",\"video_id\":\"..\",\"pattern\":\"uniform\"}", "video_id must be"),
                Arguments.of("{\"uri\":\"v.mp4\",\"video_id\":7,\"pattern\":\"uniform\"}", "video_id must be"),
                Arguments.of("{\"uri\":\"v.mp4\",\"video_id\":\"" + "x".repeat(129) + "\",\"pattern\":\"uniform\"}",
                        "video_id must be"),
                // pattern
                Arguments.of("{\"uri\":\"v.mp4\"}", "pattern is required"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"interval\"}", "pattern must be one of uniform, keyframe, random, scene"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":1}", "pattern must be a string"),
                // interval
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"interval\":0}", "interval must be a number of seconds in (0, 3600]"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"interval\":-1}", "interval must be a number of seconds in (0, 3600]"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"interval\":3600.5}", "interval must be a number of seconds in (0, 3600]"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"interval\":\"5\"}", "interval must be a number"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"interval\":1e999}", "interval must be a number"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"random\",\"interval\":5}", "interval is only valid with pattern uniform"),
                // count
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"random\",\"count\":0}", "count must be an integer from 1 to 1000"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"random\",\"count\":1001}", "count must be an integer from 1 to 1000"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"random\",\"count\":2.5}", "count must be an integer from 1 to 1000"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"random\",\"count\":\"3\"}", "count must be an integer from 1 to 1000"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"count\":3}", "count is only valid with pattern random"),
                // seed
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"random\",\"seed\":1.5}", "seed must be an integer"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"random\",\"seed\":99999999999999999999}", "seed must be an integer"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"random\",\"seed\":\"1\"}", "seed must be an integer"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"keyframe\",\"seed\":1}", "seed is only valid with pattern random"),
                // threshold
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"scene\",\"threshold\":0}", "threshold must be a number in (0, 1]"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"scene\",\"threshold\":1.01}", "threshold must be a number in (0, 1]"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"scene\",\"threshold\":true}", "threshold must be a number"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"threshold\":0.5}", "threshold is only valid with pattern scene"),
                // ss, t
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"ss\":-1}", "ss (start) must be a non-negative number"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"ss\":\"1\"}", "ss (start) must be a non-negative number"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"t\":-0.5}", "t (duration) must be a non-negative number"),
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"t\":[1]}", "t (duration) must be a non-negative number"),
                // flow in POST /frame
                Arguments.of("{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"flow\":{}}", "flow is only valid for POST /flow"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badFrameBodiesAre400NamingTheField(String body, String message) {
        assertThatThrownBy(() -> parse(ExtractionKind.FRAME, body))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).startsWith(message);
                    assertThat(e.detail()).isEmpty();
                });
    }

    static Stream<Arguments> badFlows() {
        return Stream.of(
                Arguments.of("[]", "flow must be an object"),
                Arguments.of("\"DIS\"", "flow must be an object"),
                Arguments.of("{\"algo\":\"DIS\"}", "unknown field 'flow.algo'"),
                Arguments.of("{\"algorithm\":\"TVL1\"}", "flow.algorithm must be DIS or FARNEBACK"),
                Arguments.of("{\"algorithm\":1}", "flow.algorithm must be DIS or FARNEBACK"),
                Arguments.of("{\"preset\":\"SLOW\"}", "flow.preset must be ULTRAFAST, FAST or MEDIUM"),
                Arguments.of("{\"gap\":0}", "flow.gap must be an integer from 1 to 25"),
                Arguments.of("{\"gap\":26}", "flow.gap must be an integer from 1 to 25"),
                Arguments.of("{\"gap\":1.5}", "flow.gap must be an integer from 1 to 25"),
                Arguments.of("{\"scale\":0.25}", "flow.scale must be 1.0 or 0.5"),
                Arguments.of("{\"scale\":\"1.0\"}", "flow.scale must be 1.0 or 0.5"));
    }

    @ParameterizedTest
    @MethodSource("badFlows")
    void badFlowSpecsAre400NamingTheField(String flow, String message) {
        assertThatThrownBy(() -> parse(ExtractionKind.FLOW, "{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"flow\":" + flow + "}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).startsWith(message);
                });
    }

    @Test
    void unknownFieldMessageListsFlowOnlyForFlow() {
        assertThatThrownBy(() -> parse(ExtractionKind.FLOW, "{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"x\":1}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).contains("flow"));
        assertThatThrownBy(() -> parse(ExtractionKind.FRAME, "{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"x\":1}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).doesNotContain("flow"));
    }
}
