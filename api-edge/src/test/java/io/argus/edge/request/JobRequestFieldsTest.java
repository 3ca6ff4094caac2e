package io.argus.edge.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.argus.schemas.net.UrlGuard;
import io.argus.schemas.ops.OpParam;

/**
 * Every object of a {@code POST /v1/video} body refuses fields the API does not define (a typo is
 * an error, not a silent default), while every field of the spec ({@code argus-video-api.md}) and
 * of Argus stays accepted.
 */
class JobRequestFieldsTest {

    private final JobRequestParser parser = new JobRequestParser(new OpCatalog(List.of(new OpDescription("motion",
            List.of("motion"), List.of(OpParam.integer("threshold", 1L, 254L, "grey levels")), false)), Map.of()),
            UrlGuard.allowAll());

    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{'data':{'uri':'a.mp4'},'param':{'async':true},'ops':[{'op':'motion'}]}"
                + "| unknown field 'param'; accepted: data, params, ops",
        "{'data':{'uri':'a.mp4','url':'b.mp4'},'ops':[{'op':'motion'}]}"
                + "| unknown field 'data.url'; accepted: uri, attribute",
        "{'data':{'uri':'a.mp4'},'params':{'asynch':true},'ops':[{'op':'motion'}]}"
                + "| unknown field 'params.asynch'; accepted: async, vframe, save, hookURL, live, segment, tracking",
        "{'data':{'uri':'a.mp4'},'params':{'vframe':{'intervall':1}},'ops':[{'op':'motion'}]}"
                + "| unknown field 'params.vframe.intervall'; accepted: mode, interval, ss, t",
        "{'data':{'uri':'a.mp4'},'params':{'save':{'prefx':'a'}},'ops':[{'op':'motion'}]}"
                + "| unknown field 'params.save.prefx'; accepted: bucket, zone, prefix",
        "{'data':{'uri':'a.mp4'},'params':{'live':{'timout':5}},'ops':[{'op':'motion'}]}"
                + "| unknown field 'params.live.timout'; accepted: timeout",
        "{'data':{'uri':'a.mp4'},'ops':[{'op':'motion','param':{'threshold':10}}]}"
                + "| unknown field 'ops[0].param'; accepted: op, hookURL, hookURL_segment, params",
        "{'data':{'uri':'a.mp4'},'ops':[{'op':'motion','hookURI':'http://h.example.com/'}]}"
                + "| unknown field 'ops[0].hookURI'; accepted: op, hookURL, hookURL_segment, params",
        "{'data':{'uri':'a.mp4'},'ops':[{'op':'motion','params':{'labels':[{'label':'motion','select':2,'scor':0.5}]}}]}"
                + "| unknown field 'ops[0].params.labels[0].scor'; accepted: label, select, score",
        "{'data':{'uri':'a.mp4'},'ops':[{'op':'motion','params':{'terminate':{'mode':1,'label':{'motion':1}}}}]}"
                + "| unknown field 'ops[0].params.terminate.label'; accepted: mode, labels",
        "{'data':{'uri':'a.mp4'},'ops':[{'op':'motion','params':{'ignore_empty_label':true}}]}"
                + "| unknown field 'ops[0].params.ignore_empty_label': op motion has no such param; accepted: "
                + "labels, terminate, ignore_empty_labels, threshold",
    })
    void aFieldTheApiDoesNotDefineIsRefusedAndNamed(String body, String detail) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parser.parse("v", q(body)));
        assertThat(e).as(body).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error()).isEqualTo(ApiException.INVALID_PARAMETERS);
        assertThat(e.detail()).hasValue(detail.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // every field of the spec's POST /v1/video, plus vframe.ss and t (its error table) and params.live
        "{'data':{'uri':'rtmp://live.example.com/a/b'},'params':{'async':true,'vframe':{'mode':0,'interval':1,"
                + "'ss':1,'t':2},'save':{'bucket':'b','zone':1,'prefix':'p'},'hookURL':'http://h.example.com/',"
                + "'live':{'timeout':30}},'ops':[{'op':'motion','hookURL':'http://h.example.com/op',"
                + "'hookURL_segment':'http://h.example.com/seg','params':{'labels':[{'label':'motion','select':2,"
                + "'score':0.1}],'terminate':{'mode':1,'labels':{'motion':3}},'ignore_empty_labels':true,"
                + "'threshold':30}}]}",
        // data.attribute of the spec's queued job (TASK /v1/video)
        "{'data':{'uri':'a.mp4','attribute':{'id':'v'}},'ops':[{'op':'motion'}]}",
        // null counts as absent, at every level
        "{'data':{'uri':'a.mp4','attribute':null},'params':{'vframe':null,'save':null,'live':null,'hookURL':null},"
                + "'ops':[{'op':'motion','params':{'threshold':null,'labels':null,'terminate':null}}]}",
    })
    void everyDefinedFieldIsAccepted(String body) {
        assertThat(parser.parse("v", q(body)).getOps()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'data':{'uri':'a.mp4','attribute':'v'},'ops':[{'op':'motion'}]}"})
    void dataAttributeMustBeAnObject(String body) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parser.parse("v", q(body)));
        assertThat(e.detail()).hasValue("data.attribute must be an object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'gid':'g1','anything':[1,2]}"})
    void anOpKnownByNameOnlyTakesAnyParams(String params) {
        JobRequestParser names = new JobRequestParser(Set.of("face_group_search"));
        assertThat(names.parse("v", q("{'data':{'uri':'a.mp4'},'ops':[{'op':'face_group_search','params':"
                + params + "}]}")).getOps().get(0).getParamsJson()).contains("anything");
    }
}
