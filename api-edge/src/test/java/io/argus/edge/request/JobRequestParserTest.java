package io.argus.edge.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.LabelRule;
import io.argus.schemas.avro.OpSpec;

class JobRequestParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JobRequestParser parser =
            new JobRequestParser(Set.of("pulp", "terror", "face_group_search"), () -> "job-1", () -> 1_700_000_000_123L);

    /** Builds a body from single-quoted JSON, for readability. */
    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static String withVframe(String vframe) {
        return q("{'data':{'uri':'http://example.com/v.mp4'},'params':{'vframe':" + vframe + "},'ops':[{'op':'pulp'}]}");
    }

    private static String withLive(String live) {
        return q("{'data':{'uri':'rtmp://live.example.com/app/stream'},'params':{'live':" + live
                + "},'ops':[{'op':'pulp'}]}");
    }

    private static String withOpParams(String params) {
        return q("{'data':{'uri':'http://example.com/v.mp4'},'ops':[{'op':'pulp','params':" + params + "}]}");
    }

    private static String withSave(String save) {
        return q("{'data':{'uri':'a.mp4'},'params':{'save':" + save + "},'ops':[{'op':'pulp'}]}");
    }

    private static String withUri(String uriJson) {
        return q("{'data':{'uri':" + uriJson + "},'ops':[{'op':'pulp'}]}");
    }

    private ApiException reject(String body) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parser.parse("vid", body));
        assertThat(e).as("expected a rejection of %s", body).isNotNull();
        return e;
    }

    @Test
    void fullRequestIsMappedFieldByField() throws Exception {
        String body = q("{'data':{'uri':'rtsp://cam.example.com:554/live'},"
                + "'params':{'async':true,'vframe':{'mode':1,'interval':2.5,'ss':10,'t':30.5},"
                + "'save':{'bucket':'b','zone':1,'prefix':'p'},'hookURL':'https://hooks.example.com/all'},"
                + "'ops':[{'op':'pulp','hookURL':'http://h.example.com/op','hookURL_segment':'http://h.example.com/seg',"
                + "'params':{'labels':[{'label':'0','select':2,'score':0.8},{'label':'1','select':1}],"
                + "'terminate':{'mode':2,'labels':{'0':3,'1':1}},'ignore_empty_labels':true,'extra':{'k':[1,2]}}},"
                + "{'op':'face_group_search','params':{'gid':'g1'}}]}");

        JobRequest r = parser.parse("video-42", body);

        assertThat(r.getJobId()).isEqualTo("job-1");
        assertThat(r.getVideoId()).isEqualTo("video-42");
        assertThat(r.getUri()).isEqualTo("rtsp://cam.example.com:554/live");
        assertThat(r.getVframe().getMode()).isEqualTo(1);
        assertThat(r.getVframe().getIntervalS()).isEqualTo(2.5);
        assertThat(r.getVframe().getStartS()).isEqualTo(10.0);
        assertThat(r.getVframe().getDurationS()).isEqualTo(30.5);
        assertThat(r.getHookUrl()).isEqualTo("https://hooks.example.com/all");
        assertThat(r.getAsync()).isTrue();
        assertThat(r.getSave().getBucket()).isEqualTo("b");
        assertThat(r.getSave().getZone()).isEqualTo(1);
        assertThat(r.getSave().getPrefix()).isEqualTo("p");
        assertThat(r.getCreatedAt()).isEqualTo(1_700_000_000_123L);
        assertThat(JSON.readTree(r.getRequestJson())).isEqualTo(JSON.readTree(body));
        assertThat(r.getRequestJson()).doesNotContain(" ", "\n");

        assertThat(r.getOps()).hasSize(2);
        OpSpec pulp = r.getOps().get(0);
        assertThat(pulp.getOp()).isEqualTo("pulp");
        assertThat(pulp.getHookUrl()).isEqualTo("http://h.example.com/op");
        assertThat(pulp.getHookUrlSegment()).isEqualTo("http://h.example.com/seg");
        assertThat(pulp.getIgnoreEmptyLabels()).isTrue();
        assertThat(pulp.getLabels()).containsExactly(
                LabelRule.newBuilder().setLabel("0").setSelect(2).setScore(0.8f).build(),
                LabelRule.newBuilder().setLabel("1").setSelect(1).setScore(0f).build());
        assertThat(pulp.getTerminate().getMode()).isEqualTo(2);
        assertThat(pulp.getTerminate().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("0", 3, "1", 1));
        JsonNode params = JSON.readTree(pulp.getParamsJson());
        assertThat(params.path("extra").path("k").get(1).asInt()).isEqualTo(2);
        assertThat(params).isEqualTo(JSON.readTree(body).path("ops").get(0).path("params"));

        OpSpec face = r.getOps().get(1);
        assertThat(face.getOp()).isEqualTo("face_group_search");
        assertThat(face.getLabels()).isEmpty();
        assertThat(face.getTerminate()).isNull();
        assertThat(face.getIgnoreEmptyLabels()).isFalse();
        assertThat(face.getHookUrl()).isNull();
        assertThat(JSON.readTree(face.getParamsJson()).path("gid").asText()).isEqualTo("g1");
    }

    @Test
    void defaultsApplyToAMinimalRequest() {
        JobRequest r = parser.parse("v", q("{'data':{'uri':'/data/videos/a.mp4'},'ops':[{'op':'terror'}]}"));

        assertThat(r.getVframe().getMode()).isEqualTo(0);
        assertThat(r.getVframe().getIntervalS()).isEqualTo(5.0);
        assertThat(r.getVframe().getStartS()).isNull();
        assertThat(r.getVframe().getDurationS()).isNull();
        assertThat(r.getAsync()).isFalse();
        assertThat(r.getHookUrl()).isNull();
        assertThat(r.getSave()).isNull();
        OpSpec op = r.getOps().get(0);
        assertThat(op.getLabels()).isEmpty();
        assertThat(op.getIgnoreEmptyLabels()).isFalse();
        assertThat(op.getTerminate()).isNull();
        assertThat(op.getParamsJson()).isNull();
        assertThat(op.getHookUrl()).isNull();
        assertThat(op.getHookUrlSegment()).isNull();
    }

    @Test
    void zeroIntervalMeansFiveSecondsAndZeroStartAndDurationMeanUnset() {
        JobRequest r = parser.parse("v", withVframe("{'mode':0,'interval':0,'ss':0,'t':0}"));
        assertThat(r.getVframe().getIntervalS()).isEqualTo(5.0);
        assertThat(r.getVframe().getStartS()).isNull();
        assertThat(r.getVframe().getDurationS()).isNull();
    }

    @Test
    void nullFieldsCountAsAbsent() {
        JobRequest r = parser.parse("v", q("{'data':{'uri':'a.mp4'},'params':{'async':null,'vframe':{'mode':null,"
                + "'interval':null},'hookURL':null},'ops':[{'op':'pulp','params':{'labels':null,'terminate':null}}]}"));
        assertThat(r.getVframe().getMode()).isEqualTo(0);
        assertThat(r.getVframe().getIntervalS()).isEqualTo(5.0);
        assertThat(r.getAsync()).isFalse();
        assertThat(r.getOps().get(0).getTerminate()).isNull();
    }

    @Test
    void intervalBoundsAreInclusive() {
        assertThat(parser.parse("v", withVframe("{'interval':10}")).getVframe().getIntervalS()).isEqualTo(10.0);
        assertThat(parser.parse("v", withVframe("{'interval':0.04}")).getVframe().getIntervalS()).isEqualTo(0.04);
    }

    @Test
    void eachParseGetsAFreshRandomJobIdByDefault() {
        JobRequestParser p = new JobRequestParser(Set.of("pulp"));
        String body = q("{'data':{'uri':'a.mp4'},'ops':[{'op':'pulp'}]}");
        String a = p.parse("v", body).getJobId();
        String b = p.parse("v", body).getJobId();
        assertThat(a).isNotEqualTo(b).matches("[0-9a-f-]{36}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h.example.com/v.mp4", "https://h.example.com/v.mp4?x=1",
            "rtmp://live.example.com/app/stream", "rtmps://live.example.com/app/stream",
            "rtsp://10.0.0.1:554/cam", "file:///data/v.mp4", "FILE:/data/v.mp4", "/data/v.mp4", "videos/v.mp4",
            "v.mp4", "C:\\videos\\v.mp4", "./dir/with:colon.mp4"})
    void acceptedUris(String uri) throws Exception {
        JobRequest r = parser.parse("v", withUri(JSON.writeValueAsString(uri)));
        assertThat(r.getUri()).isEqualTo(uri);
    }

    static Stream<Arguments> rejections() {
        String ok = "{'data':{'uri':'http://example.com/v.mp4'},'ops':[{'op':'pulp'}]}";
        return Stream.of(
                // body
                Arguments.of("", "invalid parameters"),
                Arguments.of("not json", "invalid parameters"),
                Arguments.of("{\"data\":", "invalid parameters"),
                Arguments.of(q(ok) + " trailing", "invalid parameters"),
                Arguments.of("[1,2]", "invalid parameters"),
                Arguments.of("\"string\"", "invalid parameters"),
                Arguments.of("null", "invalid parameters"),
                // data.uri
                Arguments.of(q("{'ops':[{'op':'pulp'}]}"), "invalid parameters"),
                Arguments.of(q("{'data':[],'ops':[{'op':'pulp'}]}"), "invalid parameters"),
                Arguments.of(q("{'data':{},'ops':[{'op':'pulp'}]}"), "invalid parameters"),
                Arguments.of(withUri("''"), "invalid parameters"),
                Arguments.of(withUri("'   '"), "invalid parameters"),
                Arguments.of(withUri("42"), "invalid parameters"),
                Arguments.of(withUri("'ftp://example.com/v.mp4'"), "invalid parameters"),
                Arguments.of(withUri("'s3://bucket/v.mp4'"), "invalid parameters"),
                Arguments.of(withUri("'http:///v.mp4'"), "invalid parameters"),
                Arguments.of(withUri("'http://exa mple.com/v.mp4'"), "invalid parameters"),
                Arguments.of(withUri("'file:'"), "invalid parameters"),
                // ops
                Arguments.of(q("{'data':{'uri':'a.mp4'}}"), "empty op"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':null}"), "empty op"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':[]}"), "empty op"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':{'op':'pulp'}}"), "invalid parameters"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':['pulp']}"), "invalid parameters"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':[{'op':'nudity'}]}"), "bad op"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':[{'op':'pulp'},{'op':'PULP'}]}"), "bad op"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':[{'op':''}]}"), "bad op"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':[{'params':{}}]}"), "bad op"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':[{'op':7}]}"), "invalid parameters"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':[{'op':'pulp'},{'op':'pulp'}]}"), "invalid parameters"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':[{'op':'pulp','hookURL':'ftp://x.example.com'}]}"),
                        "invalid parameters"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':[{'op':'pulp','hookURL_segment':'not a url'}]}"),
                        "invalid parameters"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'ops':[{'op':'pulp','params':[]}]}"), "invalid parameters"),
                // op params
                Arguments.of(withOpParams("{'labels':{}}"), "invalid parameters"),
                Arguments.of(withOpParams("{'labels':[{'label':'0','select':0}]}"), "invalid parameters"),
                Arguments.of(withOpParams("{'labels':[{'label':'0','select':3}]}"), "invalid parameters"),
                Arguments.of(withOpParams("{'labels':[{'label':'0'}]}"), "invalid parameters"),
                Arguments.of(withOpParams("{'labels':[{'label':'0','select':1.5}]}"), "invalid parameters"),
                Arguments.of(withOpParams("{'labels':[{'select':1}]}"), "invalid parameters"),
                Arguments.of(withOpParams("{'labels':[{'label':'0','select':1,'score':'high'}]}"), "invalid parameters"),
                Arguments.of(withOpParams("{'terminate':{'mode':0,'labels':{'0':1}}}"), "invalid parameters"),
                Arguments.of(withOpParams("{'terminate':{'mode':3,'labels':{'0':1}}}"), "invalid parameters"),
                Arguments.of(withOpParams("{'terminate':{'labels':{'0':1}}}"), "invalid parameters"),
                Arguments.of(withOpParams("{'terminate':{'mode':1,'labels':{'0':0}}}"), "invalid parameters"),
                Arguments.of(withOpParams("{'terminate':{'mode':1,'labels':{'0':-2}}}"), "invalid parameters"),
                Arguments.of(withOpParams("{'terminate':{'mode':1,'labels':{'0':'3'}}}"), "invalid parameters"),
                Arguments.of(withOpParams("{'terminate':{'mode':1,'labels':[]}}"), "invalid parameters"),
                Arguments.of(withOpParams("{'ignore_empty_labels':'yes'}"), "invalid parameters"),
                // params
                Arguments.of(q("{'data':{'uri':'a.mp4'},'params':[],'ops':[{'op':'pulp'}]}"), "invalid parameters"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'params':{'async':'true'},'ops':[{'op':'pulp'}]}"),
                        "invalid parameters"),
                Arguments.of(q("{'data':{'uri':'a.mp4'},'params':{'hookURL':'mailto:x@example.com'},"
                        + "'ops':[{'op':'pulp'}]}"), "invalid parameters"),
                Arguments.of(withVframe("3"), "invalid parameters"),
                Arguments.of(withVframe("{'mode':'1'}"), "invalid parameters"),
                Arguments.of(withVframe("{'mode':1.5}"), "invalid parameters"),
                Arguments.of(withVframe("{'mode':2}"), "invalid mode, allow mode is [0, 1]"),
                Arguments.of(withVframe("{'mode':-1}"), "invalid mode, allow mode is [0, 1]"),
                Arguments.of(withVframe("{'mode':99999999999999999999}"), "invalid mode, allow mode is [0, 1]"),
                Arguments.of(withVframe("{'interval':10.01}"), "invalid interval, allow interval is [0, 10]"),
                Arguments.of(withVframe("{'interval':-0.5}"), "invalid interval, allow interval is [0, 10]"),
                Arguments.of(withVframe("{'interval':'5'}"), "invalid parameters"),
                Arguments.of(withVframe("{'ss':-1}"), "invalid starttime"),
                Arguments.of(withVframe("{'ss':'1'}"), "invalid parameters"),
                Arguments.of(withVframe("{'t':-0.1}"), "invalid duration"),
                Arguments.of(withVframe("{'t':true}"), "invalid parameters"),
                // params.live
                Arguments.of(withLive("30"), "invalid parameters"),
                Arguments.of(withLive("[]"), "invalid parameters"),
                Arguments.of(withLive("{'timeout':0}"), "invalid parameters"),
                Arguments.of(withLive("{'timeout':-5}"), "invalid parameters"),
                Arguments.of(withLive("{'timeout':86400.5}"), "invalid parameters"),
                Arguments.of(withLive("{'timeout':1e400}"), "invalid parameters"),
                Arguments.of(withLive("{'timeout':'30'}"), "invalid parameters"),
                Arguments.of(withLive("{'timeout':true}"), "invalid parameters"),
                Arguments.of(withLive("{'timeout':30,'retries':3}"), "invalid parameters"),
                Arguments.of(withLive("{'interval':30}"), "invalid parameters"));
    }

    @ParameterizedTest(name = "[{index}] {1} <- {0}")
    @MethodSource("rejections")
    void rejectedWith400AndTheSpecMessage(String body, String message) {
        ApiException e = reject(body);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error()).isEqualTo(message);
    }

    @Test
    void detailsNameTheOffendingField() {
        assertThat(reject(withUri("'ftp://example.com/v.mp4'")).detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("data.uri", "ftp"));
        assertThat(reject(withOpParams("{'labels':[{'label':'0','select':3}]}")).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("ops[0].params.labels[0].select"));
        assertThat(reject(q("{'data':{'uri':'a.mp4'},'ops':[{'op':'nudity'}]}")).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("nudity", "face_group_search, pulp, terror"));
        assertThat(reject("not json").detail()).hasValueSatisfying(d -> assertThat(d).contains("not valid JSON"));
    }

    @Test
    void liveTimeoutIsMappedInSeconds() {
        assertThat(parser.parse("v", withLive("{'timeout':30}")).getLiveTimeoutS()).isEqualTo(30.0);
        assertThat(parser.parse("v", withLive("{'timeout':0.25}")).getLiveTimeoutS()).isEqualTo(0.25);
        assertThat(parser.parse("v", withLive("{'timeout':86400}")).getLiveTimeoutS()).isEqualTo(86400.0);
        assertThat(parser.parse("v", withLive("{}")).getLiveTimeoutS()).isNull();
        assertThat(parser.parse("v", withLive("null")).getLiveTimeoutS()).isNull();
        assertThat(parser.parse("v", withLive("{'timeout':null}")).getLiveTimeoutS()).isNull();
        assertThat(parser.parse("v", q("{'data':{'uri':'a.mp4'},'ops':[{'op':'pulp'}]}")).getLiveTimeoutS()).isNull();
        // accepted for any source; only live sources use it
        assertThat(parser.parse("v", q("{'data':{'uri':'a.mp4'},'params':{'live':{'timeout':12}},"
                + "'ops':[{'op':'pulp'}]}")).getLiveTimeoutS()).isEqualTo(12.0);
    }

    @Test
    void segmentWindowsAreMappedToMsAndBadOnesNamed() {
        String base = "{'data':{'uri':'rtmp://cam/live'},'ops':[{'op':'pulp'}],'params':{'segment':%s}}";
        var w = parser.parse("v", q(String.format(base, "{'interval':2.5,'max_duration':60}"))).getSegment();
        assertThat(w.getIntervalMs()).isEqualTo(2500L);
        assertThat(w.getMaxMs()).isEqualTo(60_000L);
        assertThat(parser.parse("v", q(String.format(base, "{'max_duration':30}"))).getSegment().getIntervalMs())
                .isNull();
        assertThat(parser.parse("v", q(String.format(base, "{}"))).getSegment()).isNull();
        assertThat(parser.parse("v", q("{'data':{'uri':'a.mp4'},'ops':[{'op':'pulp'}]}")).getSegment()).isNull();
        assertThat(reject(q(String.format(base, "{'interval':0}"))).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("params.segment.interval", "86400"));
        assertThat(reject(q(String.format(base, "{'max_duration':-1}"))).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("params.segment.max_duration"));
        assertThat(reject(q(String.format(base, "{'interval':'5'}"))).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("params.segment.interval", "number"));
        assertThat(reject(q(String.format(base, "{'length':5}"))).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("params.segment.length"));
    }

    @Test
    void liveDetailsNameTheField() {
        assertThat(reject(withLive("{'timeout':0}")).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("params.live.timeout", "86400"));
        assertThat(reject(withLive("{'timeout':'10'}")).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("params.live.timeout", "number"));
        assertThat(reject(withLive("{'timeout':10,'retries':3}")).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("params.live.retries"));
        assertThat(reject(withLive("7")).detail()).hasValueSatisfying(d -> assertThat(d).contains("params.live"));
    }

    @Test
    void saveIsMappedAndItsPrefixKeptAsSent() {
        JobRequest r = parser.parse("cam-7.front",
                withSave("{'bucket':'frames','zone':2,'prefix':'tenant_a/2024-05/shots'}"));
        assertThat(r.getSave().getBucket()).isEqualTo("frames");
        assertThat(r.getSave().getZone()).isEqualTo(2);
        assertThat(r.getSave().getPrefix()).isEqualTo("tenant_a/2024-05/shots");

        // 14 segments and 200-character segments are the limits
        String deep = String.join("/", Collections.nCopies(14, "d"));
        assertThat(parser.parse("v", withSave("{'prefix':'" + deep + "'}")).getSave().getPrefix()).isEqualTo(deep);
        String wide = "w".repeat(200);
        assertThat(parser.parse("v", withSave("{'prefix':'" + wide + "'}")).getSave().getPrefix()).isEqualTo(wide);
        // a reserved word further down is only a name
        assertThat(parser.parse("v", withSave("{'prefix':'a/extractions'}")).getSave().getPrefix())
                .isEqualTo("a/extractions");
    }

    @Test
    void saveWithoutAPrefixKeepsTheDefaultNamesAndAcceptsAnyVideoId() {
        for (String save : new String[] {"{}", "{'bucket':'b','zone':0}", "{'prefix':''}", "{'prefix':null}"}) {
            JobRequest r = parser.parse("not a/segment", withSave(save));
            assertThat(r.getSave()).as(save).isNotNull();
            assertThat(r.getSave().getPrefix()).as(save).isNull();
        }
        assertThat(parser.parse("v", withSave("null")).getSave()).isNull();
        JobRequest sparse = parser.parse("v", withSave("{'zone':-1}"));
        assertThat(sparse.getSave().getZone()).isEqualTo(-1);
        assertThat(sparse.getSave().getBucket()).isNull();
    }

    static Stream<Arguments> refusedSaves() {
        return Stream.of(
                Arguments.of("v", "{'prefix':'..'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'a/../../etc'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'./a'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'/abs/path'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'a//b'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'a/'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'a\\\\b'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'a\\u0000b'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'%2e%2e/x'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'C:/x'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'sp ace'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'caf\u00e9'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'" + "x".repeat(201) + "'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'" + String.join("/", Collections.nCopies(15, "d")) + "'}",
                        "params.save.prefix"),
                Arguments.of("v", "{'prefix':'" + ("y".repeat(200) + "/").repeat(6) + "y'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'extractions/req-1'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':'Extractions'}", "params.save.prefix"),
                Arguments.of("v", "{'prefix':7}", "params.save.prefix"),
                Arguments.of("v", "{'bucket':['b']}", "params.save.bucket"),
                Arguments.of("v", "{'zone':'z0'}", "params.save.zone"),
                Arguments.of("v", "{'zone':1.5}", "params.save.zone"),
                Arguments.of("v", "{'zone':4294967296}", "params.save.zone"),
                Arguments.of("v", "'p'", "params.save"),
                Arguments.of("..", "{'prefix':'p'}", "video_id"),
                Arguments.of("a/b", "{'prefix':'p'}", "video_id"),
                Arguments.of("a\\b", "{'prefix':'p'}", "video_id"),
                Arguments.of("v\u0000", "{'prefix':'p'}", "video_id"),
                Arguments.of("z".repeat(201), "{'prefix':'p'}", "video_id"),
                // each part valid, together too long for a frame name
                Arguments.of("z".repeat(128),
                        "{'prefix':'" + ("y".repeat(200) + "/").repeat(4) + "y".repeat(50) + "'}",
                        "params.save.prefix and video_id"));
    }

    @Test
    void videoIdsAreAnyCharactersButControlOnesUpTo128() {
        String body = q("{'data':{'uri':'/data/videos/a.mp4'},'ops':[{'op':'terror'}]}");
        for (String ok : List.of("видео-1", "cam 3: gate", "x".repeat(128), "../../etc", "a/b")) {
            assertThat(parser.parse(ok, body).getVideoId()).isEqualTo(ok);
        }
        for (String bad : List.of("x".repeat(129), "x".repeat(2000), "a\r\nX-Injected: 1", "tab\there", "nul\u0000",
                "del\u007f", "c1\u0085")) {
            ApiException e = catchThrowableOfType(ApiException.class, () -> parser.parse(bad, body));
            assertThat(e).as("video id %s", bad.length() > 20 ? bad.length() + " chars" : bad).isNotNull();
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.error()).isEqualTo("invalid parameters");
            assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).startsWith("video_id must be 1 to 128"));
        }
    }

    @ParameterizedTest(name = "[{index}] {2} <- {0} {1}")
    @MethodSource("refusedSaves")
    void unsafeSavesAreRefusedWith400NamingTheField(String videoId, String save, String field) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parser.parse(videoId, withSave(save)));
        assertThat(e).as("expected a rejection of %s for video %s", save, videoId).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error()).isEqualTo("invalid parameters");
        assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).startsWith(field));
    }

    @Test
    void refusedPrefixDetailsSayWhy() {
        assertThat(reject(withSave("{'prefix':'a/../b'}")).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("params.save.prefix", "'..'", "a/../b"));
        assertThat(reject(withSave("{'prefix':'/etc'}")).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("params.save.prefix", "empty segment"));
        assertThat(reject(withSave("{'prefix':'a\\u0000b'}")).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("a\\u0000b").doesNotContain("\u0000"));
        assertThat(reject(withSave("{'prefix':'extractions'}")).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("params.save.prefix", "extractions"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtmp://h.example.com/app/s", "RTMPS://h.example.com/app/s", "rtsp://cam.example.com:554/x"})
    void liveSchemesAreLive(String uri) {
        assertThat(JobRequestParser.isLive(uri)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h.example.com/v.mp4", "https://h.example.com/rtmp.mp4", "file:///rtsp/v.mp4",
            "/videos/rtmp://x", "rtmp.mp4", ""})
    void otherSourcesAreNotLive(String uri) {
        assertThat(JobRequestParser.isLive(uri)).isFalse();
    }

    @Test
    void checksTheBodyBeforeTheOpsAndTheOpsBeforeTheParams() {
        assertThat(reject(q("{'ops':[]}")).error()).isEqualTo("invalid parameters");
        assertThat(reject(q("{'data':{'uri':'a.mp4'},'params':{'vframe':{'mode':5}},'ops':[{'op':'x'}]}")).error())
                .isEqualTo("bad op");
    }

    @Test
    void blankVideoIdIsInvalid() {
        assertThatThrownBy(() -> parser.parse(" ", q("{'data':{'uri':'a.mp4'},'ops':[{'op':'pulp'}]}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo("invalid parameters"));
    }

    @Test
    void knownOpsAreSorted() {
        assertThat(parser.knownOps()).containsExactly("face_group_search", "pulp", "terror");
    }

    @Test
    void waitingStatusCarriesTheRequest() {
        JobRequest r = parser.parse("vid", q("{'data':{'uri':'a.mp4'},'ops':[{'op':'terror'},{'op':'pulp'}]}"));
        JobStatus s = WaitingStatus.of(r);
        assertThat(s.getJobId()).isEqualTo("job-1");
        assertThat(s.getVideoId()).isEqualTo("vid");
        assertThat(s.getStatus()).isEqualTo(JobState.WAITING);
        assertThat(s.getRequestJson()).isEqualTo(r.getRequestJson());
        assertThat(s.getCreatedAt()).isEqualTo(1_700_000_000_123L);
        assertThat(s.getUpdatedAt()).isEqualTo(1_700_000_000_123L);
        assertThat(s.getOps()).containsExactly("terror", "pulp");
        assertThat(s.getOpsDone()).isEmpty();
        assertThat(s.getError()).isNull();
        assertThat(s.getFramesExpected()).isEqualTo(-1);
    }
}
