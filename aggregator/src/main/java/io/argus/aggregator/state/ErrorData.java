package io.argus.aggregator.state;

/**
 * Why a job failed (DESIGN.md "Argus semantics", Errors), e.g. 424 "cannot find the video".
 *
 * @param code    HTTP status code
 * @param message message of the spec
 */
public record ErrorData(int code, String message) {
}
