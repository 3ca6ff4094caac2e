package io.argus.edge.request;

import java.util.Optional;

/**
 * An error answered to an HTTP client with the code and exact message of the spec
 * ({@code argus-video-api.md}, POST /v1/video, error table; DESIGN.md "Errors the original returned").
 *
 * <p>Rendered as {@code {"error": message}}, plus {@code "detail"} when a human explanation is known.
 */
public class ApiException extends RuntimeException {

    /** 400 "invalid parameters". */
    public static final String INVALID_PARAMETERS = "invalid parameters";
    /** 400 "empty op". */
    public static final String EMPTY_OP = "empty op";
    /** 400 "bad op". */
    public static final String BAD_OP = "bad op";
    /** 400 "invalid mode, allow mode is [0, 1]". */
    public static final String INVALID_MODE = "invalid mode, allow mode is [0, 1]";
    /** 400 "invalid interval, allow interval is [0, 10]". */
    public static final String INVALID_INTERVAL = "invalid interval, allow interval is [0, 10]";
    /** 400 "invalid starttime". */
    public static final String INVALID_STARTTIME = "invalid starttime";
    /** 400 "invalid duration". */
    public static final String INVALID_DURATION = "invalid duration";

    private final int status;
    private final String error;
    private final String detail;

    /**
     * @param status HTTP status code
     * @param error  exact error message of the spec (the {@code "error"} field)
     * @param detail human explanation (the {@code "detail"} field), or null
     */
    public ApiException(int status, String error, String detail) {
        super(detail == null ? error : error + ": " + detail);
        this.status = status;
        this.error = error;
        this.detail = detail;
    }

    /**
     * A 400 error.
     *
     * @param error  exact message of the spec
     * @param detail human explanation, or null
     * @return the exception, to throw
     */
    public static ApiException badRequest(String error, String detail) {
        return new ApiException(400, error, detail);
    }

    /** @return the HTTP status code */
    public int status() {
        return status;
    }

    /** @return the exact error message of the spec */
    public String error() {
        return error;
    }

    /** @return the human explanation, if any */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }
}
