package io.argus.edge.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.edge.render.ApiJson;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.HookKind;
import io.argus.schemas.avro.OpResult;

class HookBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URL = "http://hooks.example.com/h";

    private static JsonNode body(HookCall call) throws Exception {
        return JSON.readTree(new String(HookBodies.bytes(call), StandardCharsets.UTF_8));
    }

    @Test
    void segmentBodyIsExactlyTheSpecShape() throws Exception {
        JsonNode b = body(Calls.segmentCall("j1", 3, URL));
        assertThat(b).isEqualTo(JSON.readTree("""
                {"id": "vid-j1", "op": "pulp",
                 "result": {"offset_begin": 3000, "offset_end": 3500,
                            "labels": [{"label": "2", "score": 0.75}],
                            "cuts": [{"offset": 3000, "uri": "file:///f/3.jpg", "url": "/v1/frames?uri=file%3A%2F%2F%2Ff%2F3.jpg",
                                      "result": {"label": 2, "score": 0.75}},
                                     {"offset": 3500, "result": "not json"}]}}
                """));
        assertThat(b.fieldNames()).toIterable().containsExactly("id", "op", "result");
    }

    @Test
    void opResultBodyIsTheOpResultAsGetRendersIt() throws Exception {
        HookCall call = Calls.opResultCall("j1", URL, true);
        JsonNode b = body(call);
        assertThat(b.fieldNames()).toIterable().containsExactly("id", "op", "result");
        assertThat(b.get("id").asText()).isEqualTo("vid-j1");
        assertThat(b.get("op").asText()).isEqualTo("pulp");
        assertThat(b.get("result")).isEqualTo(JSON.readTree(ApiJson.write(ApiJson.opResult(call.getResults().get(0)))));
        assertThat(b.at("/result/terminated").asBoolean()).isTrue();
        assertThat(b.at("/result/segments/0/cuts/0/uri").asText()).isEqualTo("file:///f/0.jpg");

        assertThat(body(Calls.opResultCall("j1", URL, false)).at("/result/terminated").isMissingNode()).isTrue();
    }

    @Test
    void opResultPicksTheResultOfTheCallsOp() throws Exception {
        HookCall call = HookCall.newBuilder(Calls.opResultCall("j1", URL, false))
                .setOp("terror")
                .setResults(List.of(Calls.opResult("j1", "pulp", false), Calls.opResult("j1", "terror", true)))
                .build();
        JsonNode b = body(call);
        assertThat(b.get("op").asText()).isEqualTo("terror");
        assertThat(b.at("/result/terminated").asBoolean()).isTrue();
    }

    @Test
    void resultBodyHasEveryOpInOrderWithJobIdStatusAndError() throws Exception {
        HookCall failed = Calls.resultCall("j1", URL, "FAILED",
                ErrorInfo.newBuilder().setCode(424).setMessage("cannot find the video").build());
        JsonNode b = body(failed);
        assertThat(b.fieldNames()).toIterable().containsExactly("id", "job_id", "status", "result", "error");
        assertThat(b.get("id").asText()).isEqualTo("vid-j1");
        assertThat(b.get("job_id").asText()).isEqualTo("j1");
        assertThat(b.get("status").asText()).isEqualTo("FAILED");
        assertThat(b.get("error").asText()).isEqualTo("cannot find the video");
        assertThat(b.get("result").fieldNames()).toIterable().containsExactly("terror", "pulp");
        // the same rendering as GET /v1/jobs/video/<id> "result"
        Map<String, OpResult> byOp = Map.of("terror", failed.getResults().get(0), "pulp", failed.getResults().get(1));
        assertThat(b.get("result")).isEqualTo(JSON.readTree(ApiJson.write(ApiJson.opResults(List.of("terror", "pulp"), byOp))));

        JsonNode finished = body(Calls.resultCall("j1", URL, "FINISHED", null));
        assertThat(finished.has("error")).isFalse();
        assertThat(finished.get("status").asText()).isEqualTo("FINISHED");

        JsonNode cancelledEmpty = body(HookCall.newBuilder(Calls.resultCall("j1", URL, "CANCELLED", null))
                .setResults(List.of()).build());
        assertThat(cancelledEmpty.get("result")).isEmpty();
    }

    @Test
    void malformedCallsAreRefused() {
        HookCall noSegment = HookCall.newBuilder(Calls.segmentCall("j1", 0, URL)).setSegment(null).build();
        assertThatThrownBy(() -> HookBodies.bytes(noSegment)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no segment");
        HookCall noResult = HookCall.newBuilder(Calls.opResultCall("j1", URL, false)).setResults(List.of()).build();
        assertThatThrownBy(() -> HookBodies.bytes(noResult)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kindNames() {
        assertThat(HookBodies.kindName(HookKind.SEGMENT)).isEqualTo("segment");
        assertThat(HookBodies.kindName(HookKind.OP_RESULT)).isEqualTo("op-result");
        assertThat(HookBodies.kindName(HookKind.RESULT)).isEqualTo("result");
    }
}
