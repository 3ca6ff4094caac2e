package io.argus.edge.request;

import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;
import static io.argus.edge.request.JsonFields.object;
import static io.argus.edge.request.JsonFields.onlyFields;
import static io.argus.edge.request.JsonFields.string;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.net.SourceSchemes;
import io.argus.schemas.net.UrlGuard;

/**
 * The URLs of a job request, {@code data.uri} and the hook URLs, each checked against a
 * {@link UrlGuard}. Errors are 400 "invalid parameters" with a detail naming the field; the
 * accepted forms are in {@link JobRequestParser}'s class comment. Thread-safe.
 */
final class RequestUrls {

    /**
     * Fields of {@code data}: {@code uri}, and {@code attribute} (an object), which the spec's
     * queued job (TASK /v1/video) carries ({@code {"id": video_id}}); it is accepted and not read:
     * the path's {@code <video_id>} names the video.
     */
    static final List<String> DATA_FIELDS = List.of("uri", "attribute");

    private final UrlGuard guard;

    /** @param guard which addresses network sources and hook URLs may have */
    RequestUrls(UrlGuard guard) {
        this.guard = Objects.requireNonNull(guard, "urlGuard");
    }

    /**
     * @param root the request body
     * @return {@code data.uri}, trimmed: a URI of a scheme in {@link SourceSchemes#ACCEPTED}
     *         (network ones with a host the guard allows, {@code file:} with a path) or a plain
     *         absolute or relative path (a local file)
     * @throws ApiException (400 "invalid parameters") when {@code data} is not an object, has a
     *                      field other than {@link #DATA_FIELDS} or a non-object {@code attribute}, or
     *                      {@code data.uri} is missing, blank, not a string, of another scheme,
     *                      unparsable or host-less (network schemes), path-less ({@code file:})
     *                      or refused by the guard
     */
    String dataUri(JsonNode root) {
        ObjectNode data = object(root, "data", "data");
        if (data != null) {
            onlyFields(data, "data", DATA_FIELDS);
            object(data, "attribute", "data.attribute");
        }
        String uri = data == null ? null : string(data, "uri", "data.uri");
        if (uri == null || uri.isBlank()) {
            throw badRequest(INVALID_PARAMETERS, "data.uri is required");
        }
        uri = uri.trim();
        Optional<String> found = SourceSchemes.scheme(uri);
        if (found.isEmpty()) {
            return uri; // a plain absolute or relative path: a local file
        }
        String scheme = found.get();
        if (!SourceSchemes.ACCEPTED.contains(scheme)) {
            throw badRequest(INVALID_PARAMETERS, "data.uri scheme '" + scheme
                    + "' is not supported; use http, https, rtmp, rtmps, rtsp, file or a local path");
        }
        if (SourceSchemes.NETWORK.contains(scheme)) {
            try {
                URI parsed = new URI(uri);
                if (parsed.getHost() == null) {
                    throw badRequest(INVALID_PARAMETERS, "data.uri has no host");
                }
                guard(parsed, "data.uri");
            } catch (URISyntaxException e) {
                throw badRequest(INVALID_PARAMETERS, "data.uri is not a valid URI: " + e.getMessage());
            }
        } else if (uri.length() == "file:".length()) {
            throw badRequest(INVALID_PARAMETERS, "data.uri file: URI has no path");
        }
        return uri;
    }

    /**
     * @param parent the object holding the hook URL
     * @param name   its field name ({@code hookURL}, {@code hookURL_segment})
     * @param path   its path in the body, for error details
     * @return the URL trimmed, or null when absent, null or blank
     * @throws ApiException (400 "invalid parameters") when it is not a string, not an absolute
     *                      http or https URL with a host, or refused by the guard
     */
    String hookUrl(JsonNode parent, String name, String path) {
        String url = string(parent, name, path);
        if (url == null || url.isBlank()) {
            return null;
        }
        url = url.trim();
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw badRequest(INVALID_PARAMETERS, path + " must be an absolute http or https URL");
            }
            guard(u, path);
        } catch (URISyntaxException e) {
            throw badRequest(INVALID_PARAMETERS, path + " is not a valid URL: " + e.getMessage());
        }
        return url;
    }

    /** Refuses a URL the guard refuses; an unresolvable host passes (the fetch decides then). */
    private void guard(URI uri, String field) {
        UrlGuard.Decision d = guard.check(uri);
        if (d.refused()) {
            throw badRequest(INVALID_PARAMETERS, field + ": " + d.reason());
        }
    }
}
