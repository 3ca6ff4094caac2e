package io.argus.edge.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.LinePoint;
import io.argus.schemas.avro.TrackingSpec;

/** {@code params.tracking} of POST /v1/video: accepted shapes, defaults, and each 400 with its detail. */
class TrackingParserTest {

    private final JobRequestParser parser =
            new JobRequestParser(Set.of("detection", "motion"), () -> "job-1", () -> 1_700_000_000_000L);

    private static String body(String tracking) {
        return ("{'data':{'uri':'a.mp4'},'params':{'vframe':{'interval':0.2},'tracking':" + tracking
                + "},'ops':[{'op':'detection'},{'op':'motion'}]}").replace('\'', '"');
    }

    @Test
    void aFullRequestIsCarriedInTheJobRecord() {
        JobRequest job = parser.parse("v1", body("{'op':'detection','classes':['person','car','car'],"
                + "'lines':[{'name':'door','points':[[0,0.5],[0.5,0.4],{'x':1,'y':0.5}],'direction':'in'},"
                + "{'name':'gate','points':[[0.5,0],[0.5,1]]}],'interval_ms':5000,'min_travel':0.1,"
                + "'min_dwell_ms':300,'lost_ttl_ms':2000}"));
        TrackingSpec t = job.getTracking();
        assertThat(t.getOp()).isEqualTo("detection");
        assertThat(t.getClasses()).containsExactly("person", "car");
        assertThat(t.getLines()).hasSize(2);
        assertThat(t.getLines().get(0).getName()).isEqualTo("door");
        assertThat(t.getLines().get(0).getDirection()).isEqualTo("in");
        assertThat(t.getLines().get(0).getPoints()).containsExactly(new LinePoint(0.0, 0.5), new LinePoint(0.5, 0.4),
                new LinePoint(1.0, 0.5));
        assertThat(t.getLines().get(1).getDirection()).isEqualTo("both");
        assertThat(t.getIntervalMs()).isEqualTo(5000);
        assertThat(t.getMinTravel()).isEqualTo(0.1);
        assertThat(t.getMinDwellMs()).isEqualTo(300);
        assertThat(t.getLostTtlMs()).isEqualTo(2000);
    }

    @Test
    void defaultsAreFilledAndAbsentTrackingIsNull() {
        TrackingSpec t = parser.parse("v1", body("{'op':'detection'}")).getTracking();
        assertThat(t.getClasses()).isEmpty();
        assertThat(t.getLines()).isEmpty();
        assertThat(t.getIntervalMs()).isEqualTo(TrackingParser.DEFAULT_INTERVAL_MS);
        assertThat(t.getMinTravel()).isEqualTo(TrackingParser.DEFAULT_MIN_TRAVEL);
        assertThat(t.getMinDwellMs()).isEqualTo(TrackingParser.DEFAULT_MIN_DWELL_MS);
        assertThat(t.getLostTtlMs()).isNull();
        assertThat(parser.parse("v1", "{\"data\":{\"uri\":\"a.mp4\"},\"ops\":[{\"op\":\"motion\"}]}").getTracking())
                .isNull();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "7| params.tracking must be an object",
        "{'classes':['car']}| params.tracking.op must name one of the job's ops (detection, motion)",
        "{'op':'person'}| params.tracking.op must name one of the job's ops (detection, motion), was \"person\"",
        "{'op':'detection','line':[]}| unknown field 'params.tracking.line'; accepted: op, classes, lines, interval_ms, min_travel, min_dwell_ms, lost_ttl_ms",
        "{'op':'detection','classes':'car'}| params.tracking.classes must be an array of at most 100 labels",
        "{'op':'detection','classes':['']}| params.tracking.classes[0] must be a non-empty label, was \"\"",
        "{'op':'detection','lines':{}}| params.tracking.lines must be an array of lines",
        "{'op':'detection','lines':[{'points':[[0,0],[1,1]]}]}| params.tracking.lines[0].name must be 1 to 64 characters without control characters",
        "{'op':'detection','lines':[{'name':'a','points':[[0,0],[1,1]]},{'name':'a','points':[[0,1],[1,0]]}]}| params.tracking.lines[1].name \"a\" is used by another line",
        "{'op':'detection','lines':[{'name':'a','points':[[0,0]]}]}| params.tracking.lines[0].points must be an array of 2 to 32 points [x, y] in normalised frame coordinates [0, 1]",
        "{'op':'detection','lines':[{'name':'a','points':[[0,0],[1.5,0]]}]}| params.tracking.lines[0].points[1] must be [x, y] with x and y in [0, 1], was [1.5,0]",
        "{'op':'detection','lines':[{'name':'a','points':[[0,0],['1',0]]}]}| params.tracking.lines[0].points[1] must be [x, y] with x and y in [0, 1], was [\"1\",0]",
        "{'op':'detection','lines':[{'name':'a','points':[[0,0],[0,0]]}]}| params.tracking.lines[0].points[1] repeats the point before it",
        "{'op':'detection','lines':[{'name':'a','points':[[0,0],[1,1]],'direction':'up'}]}| params.tracking.lines[0].direction must be in, out or both, was \"up\"",
        "{'op':'detection','lines':[{'name':'a','points':[[0,0],[1,1]],'dir':'in'}]}| unknown field 'params.tracking.lines[0].dir'; accepted: name, points, direction",
        "{'op':'detection','interval_ms':0}| params.tracking.interval_ms must be an integer in [1, 86400000] ms, was 0",
        "{'op':'detection','interval_ms':1.5}| params.tracking.interval_ms must be an integer",
        "{'op':'detection','min_travel':0}| params.tracking.min_travel must be a fraction of the frame diagonal in (0, 1], was 0.0",
        "{'op':'detection','min_dwell_ms':-1}| params.tracking.min_dwell_ms must be an integer in [0, 60000] ms, was -1",
        "{'op':'detection','lost_ttl_ms':600001}| params.tracking.lost_ttl_ms must be an integer in [0, 600000] ms, was 600001",
    })
    void badTrackingIsA400NamingTheField(String tracking, String detail) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parser.parse("v1", body(tracking)));
        assertThat(e).as(tracking).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error()).isEqualTo(ApiException.INVALID_PARAMETERS);
        assertThat(e.detail()).contains(detail);
    }

    @Test
    void seventeenLinesAreTooMany() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 17; i++) {
            lines.append(i == 0 ? "" : ",").append("{'name':'l").append(i).append("','points':[[0,0],[1,1]]}");
        }
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> parser.parse("v1", body("{'op':'detection','lines':[" + lines + "]}")));
        assertThat(e.detail()).contains("params.tracking.lines may have at most 16 lines, has 17");
    }
}
