package io.argus.analyzer.ops.remote;

import java.net.URI;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.schemas.avro.Box;

/** Shared parsing and checks of service answers, with error messages naming the endpoint. */
final class Answers {

    static final ObjectMapper JSON = new ObjectMapper();

    private Answers() {
    }

    /**
     * @param endpoint where the answer came from
     * @param answer   an answer
     * @return its body as a JSON object
     * @throws RemoteException for an HTTP error status (with the service's message) or a body that
     *                         is not a JSON object
     */
    static JsonNode object(URI endpoint, HttpPoster.Answer answer) throws RemoteException {
        if (!answer.ok()) {
            throw new RemoteException("POST " + endpoint + ": HTTP " + answer.status()
                    + (answer.status() >= 500 ? " after " + answer.attempts() + " attempts" : "")
                    + ": " + message(answer.body()));
        }
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (JsonProcessingException e) {
            throw new RemoteException("POST " + endpoint + ": bad answer, not JSON (" + e.getOriginalMessage()
                    + "): " + HttpPoster.excerpt(answer.body()));
        }
        if (body == null || !body.isObject()) {
            throw new RemoteException("POST " + endpoint + ": bad answer, not a JSON object: "
                    + HttpPoster.excerpt(answer.body()));
        }
        return body;
    }

    /** @return the {@code message} or {@code error} of a JSON error body, else the body's start */
    private static String message(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isObject()) {
                for (String key : new String[] {"message", "error"}) {
                    JsonNode m = n.get(key);
                    if (m != null && m.isTextual() && !m.asText().isBlank()) {
                        return m.asText();
                    }
                }
            }
        } catch (JsonProcessingException e) {
            // not JSON: quote it
        }
        String b = HttpPoster.excerpt(body);
        return b.isEmpty() ? "(empty body)" : b;
    }

    /**
     * @param endpoint for the message
     * @param what     what the score belongs to
     * @param node     the score
     * @return the score
     * @throws RemoteException when it is not a number in [0, 1]
     */
    static float score(URI endpoint, String what, JsonNode node) throws RemoteException {
        if (node == null || !node.isNumber()) {
            throw new RemoteException("POST " + endpoint + ": bad answer, " + what + " has no numeric score");
        }
        return score(endpoint, what, node.asDouble());
    }

    /**
     * @param endpoint for the message
     * @param what     what the score belongs to
     * @param s        the score
     * @return the score
     * @throws RemoteException when it is not in [0, 1]
     */
    static float score(URI endpoint, String what, double s) throws RemoteException {
        if (!(s >= 0 && s <= 1)) {
            throw new RemoteException("POST " + endpoint + ": bad answer, score " + s + " of " + what
                    + " is not in [0, 1]");
        }
        return (float) s;
    }

    /**
     * @return the box with corners rounded to whole pixels and clipped to the frame, or null when
     *         nothing of it is inside the frame
     */
    static Box clip(double x0, double y0, double x1, double y1, int width, int height) {
        int l = clamp(Math.round(Math.min(x0, x1)), width);
        int t = clamp(Math.round(Math.min(y0, y1)), height);
        int r = clamp(Math.round(Math.max(x0, x1)), width);
        int b = clamp(Math.round(Math.max(y0, y1)), height);
        return r > l && b > t ? new Box(l, t, r, b) : null;
    }

    private static int clamp(long v, int max) {
        return (int) Math.max(0, Math.min(max, v));
    }
}
