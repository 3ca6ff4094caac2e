package io.argus.edge.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.net.UrlGuard;
import io.argus.schemas.ops.OpParam;

/**
 * An op's params are checked against what the op declares when the job is submitted: a wrong type,
 * a value out of range (refused, not clamped) or an undeclared key is 400 "invalid parameters" naming
 * the param, before any frame is sampled; an op known but unavailable says why and what to do.
 */
class OpParamsTest {

    private static final OpDescription PERSON = new OpDescription("person", List.of("person"),
            List.of(OpParam.number("threshold", 0.0, 1.0, "score below which detections are dropped")), false);
    private static final OpDescription MOTION = new OpDescription("motion", List.of("motion"),
            List.of(OpParam.integer("threshold", 1L, 254L, "grey levels"),
                    OpParam.number("min_score", 0.0, 1.0, "fraction")), false);
    private static final OpDescription REMOTE = new OpDescription("remote_any", List.of("x"),
            List.of(OpParam.oneOf("mode", List.of("fast", "exact"), "speed"),
                    OpParam.bool("verbose", "more output")), true);
    private static final String OBJECTS_HINT = "needs the objects model, which is not installed in d2/models: run "
            + "./argus models install --models-dir d2/models, then restart Argus (ops are found when it starts)";

    private final JobRequestParser parser = new JobRequestParser(new OpCatalog(List.of(PERSON, MOTION, REMOTE),
            Map.of("detection", OBJECTS_HINT, "person", "never shown: person is available")), UrlGuard.allowAll());

    private static String body(String op, String params) {
        return ("{'data':{'uri':'a.mp4'},'ops':[{'op':'" + op + "','params':" + params + "}]}").replace('\'', '"');
    }

    private ApiException reject(String op, String params) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parser.parse("v", body(op, params)));
        assertThat(e).as(op + " " + params).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "person | {'threshold':'abc'} | ops[0].params.threshold must be a number in [0, 1], was \"abc\"",
        "person | {'threshold':1.5}   | ops[0].params.threshold must be a number in [0, 1], was 1.5",
        "person | {'threshold':-0.01} | ops[0].params.threshold must be a number in [0, 1], was -0.01",
        "person | {'threshold':true}  | ops[0].params.threshold must be a number in [0, 1], was true",
        "person | {'threshold':[0.5]} | ops[0].params.threshold must be a number in [0, 1], was [0.5]",
        "motion | {'threshold':0}     | ops[0].params.threshold must be an integer in [1, 254], was 0",
        "motion | {'threshold':255}   | ops[0].params.threshold must be an integer in [1, 254], was 255",
        "motion | {'threshold':25.5}  | ops[0].params.threshold must be an integer in [1, 254], was 25.5",
        "motion | {'threshold':1e999} | ops[0].params.threshold must be an integer in [1, 254], was a number too large",
        "motion | {'min_score':2}     | ops[0].params.min_score must be a number in [0, 1], was 2",
        "remote_any | {'mode':'slow'} | ops[0].params.mode must be one of fast, exact, was \"slow\"",
        "remote_any | {'verbose':1}   | ops[0].params.verbose must be a boolean, was 1",
    })
    void aParamOfTheWrongTypeOrOutOfRangeIsRefusedNamingIt(String op, String params, String detail) {
        ApiException e = reject(op.strip(), params.strip());
        assertThat(e.error()).isEqualTo(ApiException.INVALID_PARAMETERS);
        assertThat(e.detail()).hasValue(detail.strip());
    }

    @Test
    void anUndeclaredParamIsRefusedListingTheAcceptedOnes() {
        assertThat(reject("person", "{'thresold':0.5}").detail()).hasValue("unknown field 'ops[0].params.thresold': "
                + "op person has no such param; accepted: labels, terminate, ignore_empty_labels, threshold");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'threshold':0}", "{'threshold':1}", "{'threshold':0.4}", "{'threshold':null}", "{}"})
    void aParamInRangeIsAcceptedAsSent(String params) throws Exception {
        String json = parser.parse("v", body("person", params)).getOps().get(0).getParamsJson();
        assertThat(new ObjectMapper().readTree(json)).isEqualTo(new ObjectMapper().readTree(params.replace('\'', '"')));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'threshold':1}", "{'threshold':254}", "{'threshold':25.0}", "{'min_score':0}"})
    void integerBoundsAreInclusiveAndAWholeNumberCounts(String params) {
        assertThat(parser.parse("v", body("motion", params)).getOps()).hasSize(1);
    }

    @Test
    void anOpAcceptingOtherParamsChecksOnlyWhatItDeclares() {
        assertThat(parser.parse("v", body("remote_any", "{'mode':'fast','verbose':false,'gid':'g1'}")).getOps())
                .hasSize(1);
    }

    @Test
    void anOpKnownButUnavailableSaysWhyAndWhatToDo() {
        ApiException e = reject("detection", "{}");
        assertThat(e.error()).isEqualTo(ApiException.BAD_OP);
        assertThat(e.detail()).hasValue("op 'detection' is not available here: it " + OBJECTS_HINT
                + "; known ops: motion, person, remote_any");
        assertThat(reject("nope", "{}").detail()).hasValue("op 'nope' is not supported; known ops: motion, person, "
                + "remote_any");
    }

    @Test
    void paramsAreDescribedForGetV1Ops() {
        ObjectNode entry = new ObjectMapper().createObjectNode();
        MOTION.describeParams(entry);
        assertThat(entry.toString()).isEqualTo("{\"params\":[{\"name\":\"threshold\",\"type\":\"integer\",\"min\":1.0,"
                + "\"max\":254.0,\"description\":\"grey levels\"},{\"name\":\"min_score\",\"type\":\"number\","
                + "\"min\":0.0,\"max\":1.0,\"description\":\"fraction\"}]}");
        ObjectNode remote = new ObjectMapper().createObjectNode();
        REMOTE.describeParams(remote);
        assertThat(remote.path("params").get(0).path("values").toString()).isEqualTo("[\"fast\",\"exact\"]");
        assertThat(remote.path("other_params").asBoolean()).isTrue();
    }
}
