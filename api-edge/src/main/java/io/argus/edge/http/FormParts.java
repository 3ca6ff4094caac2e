package io.argus.edge.http;

import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;

import java.util.Locale;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

/**
 * Request parts the upload and media routes share: the file of a multipart/form-data upload and
 * non-negative integer query params, each refused with 400 "invalid parameters" and a detail
 * naming what is wrong.
 */
public final class FormParts {

    private FormParts() {
    }

    /**
     * @param ctx   a request
     * @param field the file field, e.g. {@code video}
     * @param form  how the expected form is described in the error, e.g. {@code "a file field 'video'"}
     * @return the uploaded file (Javalin spools large parts to disk)
     * @throws io.argus.edge.request.ApiException 400 when the body is not multipart/form-data, cannot
     *         be read, or has no such file field
     */
    public static UploadedFile file(Context ctx, String field, String form) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw badRequest(INVALID_PARAMETERS, "the body must be multipart/form-data with " + form);
        }
        UploadedFile file;
        try {
            file = ctx.uploadedFile(field);
        } catch (RuntimeException e) {
            throw badRequest(INVALID_PARAMETERS, "the multipart body cannot be read: " + e.getMessage());
        }
        if (file == null) {
            throw badRequest(INVALID_PARAMETERS, "missing file field '" + field + "'");
        }
        return file;
    }

    /**
     * @param ctx  a request
     * @param name a query param
     * @return its value, or null when absent or blank
     * @throws io.argus.edge.request.ApiException 400 when it is not a non-negative integer
     */
    public static Long nonNegative(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw badRequest(INVALID_PARAMETERS, name + " must be a non-negative integer, was '" + v + "'");
        }
    }
}
