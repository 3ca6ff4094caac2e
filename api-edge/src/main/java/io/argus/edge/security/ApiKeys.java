package io.argus.edge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * The API keys the HTTP edge accepts, and the check every request passes
 * ({@link #handler()}, installed by {@link io.argus.edge.http.EdgeServer#setApiKeys}).
 *
 * <p>A request carries its key as {@code Authorization: Bearer <key>} (RFC 6750 section 2.1; the
 * scheme name is case-insensitive, RFC 9110 section 11.1) or as {@code X-Api-Key: <key>}. When
 * both are present the {@code Authorization} header is used. Answers, JSON in the shape of every
 * other error of the edge:
 * <ul>
 *   <li>no key: 401 {@code {"error": "unauthorized", "detail": "an API key is required: …"}} with
 *       {@code WWW-Authenticate: Bearer realm="argus"} (RFC 6750 section 3);</li>
 *   <li>a key that is not accepted: 401 {@code {"error": "unauthorized", "detail": "the API key is
 *       not valid"}} with {@code WWW-Authenticate: Bearer realm="argus", error="invalid_token"}.</li>
 * </ul>
 * Keys are compared in constant time: the presented key and every accepted key are hashed with
 * SHA-256 and compared with {@link MessageDigest#isEqual}, over all accepted keys, so neither the
 * key's length nor which key matched shows in the timing. Only the digests are kept in memory
 * after construction; keys never appear in logs or in {@link #toString()}.
 *
 * <p>What stays open without a key: {@code GET /healthz} (load balancers, orchestrators),
 * {@code GET /metrics} (Prometheus scrapers; counts and times only),
 * {@code GET /openapi.json} (the description of the API, which holds no data) and, on
 * the schema registry facade, {@code GET} and {@code HEAD} of {@code /subjects…} and
 * {@code /schemas…} (Kafka tools and deserializers read schemas by id without credentials; the
 * schemas are not secret). Registering or looking up a schema ({@code POST /subjects/…}) needs a
 * key like every other route. A route class may also serve paths without a key
 * ({@link io.argus.edge.http.Routes#isOpen}: the dashboard's page and assets, which hold no data,
 * and its token-checked event stream). A CORS preflight ({@code OPTIONS}) is not treated
 * specially: the dashboard is served from the edge itself, same origin.
 *
 * <p>Accepted keys: 16 to 512 printable ASCII characters without blanks (a key travels in a
 * header; shorter keys are too easy to guess). Use at least 32 random characters, e.g.
 * {@code openssl rand -hex 32}.
 *
 * <p><b>Roles and principals.</b> A key may be followed, after blanks, by attributes:
 * {@code role=admin} or {@code role=user}, and {@code name=<principal>} ({@link Principal#NAME}:
 * 1-128 characters of {@code A-Z a-z 0-9 . _ @ : | + -}). In a key file:
 * <pre>
 * 6f1c…e9a2                               # a plain key: an admin
 * 0b7d…41c3 role=user name=alice          # alice sees her uploads and the files granted to her
 * 93aa…07f1 role=admin name=ops
 * </pre>
 * and in {@value #ENV} the same entries separated by commas:
 * {@code ARGUS_API_KEYS="6f1c…e9a2,0b7d…41c3 role=user name=alice"}. A key without {@code role=}
 * is an admin, so key files and environments written before roles existed keep full access. A key
 * without {@code name=} is named {@code key-<first 16 hex digits of its SHA-256>}
 * ({@link Principal#keyName}). The same key given twice with different attributes is an error.
 * A request's key gives its {@link Principal} ({@link #principal}); {@link EdgeAuth} puts it on the
 * request. An unknown attribute, or a role other than {@code admin} and {@code user}, is an error
 * naming the line or entry, never the key.
 *
 * <p>Immutable and thread-safe.
 */
public final class ApiKeys {

    /** Environment variable holding comma-separated keys ({@link #fromEnvironment}). */
    public static final String ENV = "ARGUS_API_KEYS";
    /** Header carrying a key as an alternative to {@code Authorization: Bearer}. */
    public static final String KEY_HEADER = "X-Api-Key";
    /** The {@code error} of a 401 answer. */
    public static final String UNAUTHORIZED = "unauthorized";
    /** Shortest accepted key, in characters. */
    public static final int MIN_KEY_LENGTH = 16;
    /** Longest accepted key, in characters. */
    public static final int MAX_KEY_LENGTH = 512;
    /** Paths that never need a key (exact match, any method). */
    public static final Set<String> OPEN_PATHS = Set.of("/healthz", "/metrics", "/openapi.json");

    private static final ApiKeys OPEN = new ApiKeys(List.of());

    /** An accepted key: the SHA-256 of the key, and who it acts for. */
    private record Entry(byte[] digest, Principal principal) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** @return keys that accept every request: no check at all (the edge's default) */
    public static ApiKeys open() {
        return OPEN;
    }

    /**
     * @param keys the accepted keys (surrounding blanks are trimmed; duplicates are ignored)
     * @return the keys; {@link #open()} when the collection is empty
     * @throws IllegalArgumentException for a key outside {@value #MIN_KEY_LENGTH}-{@value #MAX_KEY_LENGTH}
     *                                  printable ASCII characters or containing a blank (the message
     *                                  never contains the key)
     */
    public static ApiKeys of(Collection<String> keys) {
        Set<String> unique = new LinkedHashSet<>();
        int n = 0;
        for (String k : keys) {
            n++;
            String key = k == null ? "" : k.strip();
            validate(key, "key #" + n);
            unique.add(key);
        }
        List<Entry> out = new ArrayList<>();
        for (String key : unique) {
            byte[] d = sha256(key);
            out.add(new Entry(d, new Principal(Principal.keyName(d), true, Set.of(), Principal.Source.API_KEY)));
        }
        return out.isEmpty() ? OPEN : new ApiKeys(out);
    }

    /**
     * Keys with attributes (see the class comment): each entry is a key, then optionally
     * {@code role=admin|user} and {@code name=<principal>}, separated by blanks.
     *
     * @param entries the entries, e.g. {@code "0b7d…41c3 role=user name=alice"}
     * @return the keys; {@link #open()} when there is none
     * @throws IllegalArgumentException for an invalid key, attribute, role or name, or one key given
     *                                  twice with different attributes (the message names the
     *                                  entry by number, never the key)
     */
    public static ApiKeys parse(List<String> entries) {
        List<String> where = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            where.add("key #" + (i + 1));
        }
        return parse(entries, where);
    }

    private static ApiKeys parse(List<String> entries, List<String> where) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entry(entries.get(i) == null ? "" : entries.get(i).strip(), where.get(i));
            out = merge(out, List.of(e), where.get(i));
        }
        return out.isEmpty() ? OPEN : new ApiKeys(out);
    }

    private static Entry entry(String text, String where) {
        String[] parts = text.split("\\s+");
        String key = parts[0];
        validate(key, where);
        byte[] d = sha256(key);
        boolean admin = true;
        String name = null;
        boolean roleSeen = false;
        for (int i = 1; i < parts.length; i++) {
            String a = parts[i];
            if (a.startsWith("role=") && !roleSeen) {
                roleSeen = true;
                String role = a.substring(5);
                if (role.equals("admin") || role.equals("user")) {
                    admin = role.equals("admin");
                } else {
                    throw new IllegalArgumentException("API key at " + where + ": role must be admin or user, was '"
                            + role + "'");
                }
            } else if (a.startsWith("name=") && name == null) {
                name = a.substring(5);
                if (!Principal.validName(name)) {
                    throw new IllegalArgumentException("API key at " + where + ": name must be 1 to 128 characters of "
                            + "A-Z a-z 0-9 . _ @ : | + - starting with a letter or digit, was '" + name + "'");
                }
            } else {
                throw new IllegalArgumentException("API key at " + where + ": attribute " + i
                        + " is neither role=admin|user nor name=<principal> (or is given twice)");
            }
        }
        return new Entry(d, new Principal(name == null ? Principal.keyName(d) : name, admin, Set.of(),
                Principal.Source.API_KEY));
    }

    /** @return {@code mine} and the entries of {@code more} whose key is new; a key given with other attributes throws */
    private static List<Entry> merge(List<Entry> mine, List<Entry> more, String where) {
        List<Entry> all = new ArrayList<>(mine);
        for (Entry e : more) {
            Entry seen = null;
            for (Entry m : mine) {
                if (MessageDigest.isEqual(m.digest(), e.digest())) {
                    seen = m;
                }
            }
            if (seen == null) {
                all.add(e);
            } else if (!seen.principal().equals(e.principal())) {
                throw new IllegalArgumentException("API key at " + where
                        + " is given twice with different roles or names");
            }
        }
        return all;
    }

    /**
     * Reads keys from a file: one key per line, UTF-8, optionally followed by attributes
     * ({@code role=user name=alice}, see the class comment); blank lines and lines whose first
     * non-blank character is {@code #} are ignored; surrounding blanks are trimmed; a {@code #}
     * after blanks starts a comment.
     *
     * @param file the key file (keep it readable by the Argus user only)
     * @return the keys
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when the file holds no key (an empty key file would open the
     *                                  edge to everyone, which is never what its author meant), or
     *                                  a line is not a valid key (the message gives the line
     *                                  number, never the key)
     */
    public static ApiKeys fromFile(Path file) throws IOException {
        List<String> keys = new ArrayList<>();
        List<String> where = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("\\s+#.*$", "").strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            keys.add(line);
            where.add("line " + (i + 1) + " of " + file);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the API key file " + file + " holds no key");
        }
        return parse(keys, where);
    }

    /**
     * @param commaSeparated entries separated by commas (blanks around them trimmed, empty entries
     *                       ignored), each a key optionally followed by attributes
     *                       ({@code key role=user name=alice}, see the class comment), e.g. the
     *                       value of {@value #ENV}; null or blank means none
     * @return the keys, {@link #open()} when there is none
     * @throws IllegalArgumentException for an invalid entry (see {@link #parse})
     */
    public static ApiKeys fromString(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return OPEN;
        }
        List<String> keys = new ArrayList<>();
        for (String k : commaSeparated.split(",")) {
            if (!k.isBlank()) {
                keys.add(k.strip());
            }
        }
        return parse(keys);
    }

    /**
     * @param environment the process environment ({@link System#getenv()})
     * @return the keys of {@value #ENV}, {@link #open()} when it is unset or blank
     * @throws IllegalArgumentException for an invalid key (see {@link #of})
     */
    public static ApiKeys fromEnvironment(Map<String, String> environment) {
        return fromString(environment == null ? null : environment.get(ENV));
    }

    /**
     * @param other more keys
     * @return the keys accepted by either (open only when both are open)
     * @throws IllegalArgumentException when a key of both has different roles or names
     */
    public ApiKeys and(ApiKeys other) {
        if (other.isOpen()) {
            return this;
        }
        if (isOpen()) {
            return other;
        }
        return new ApiKeys(merge(entries, other.entries, "both sources"));
    }

    /** @return true when no key is configured: every request is accepted */
    public boolean isOpen() {
        return entries.isEmpty();
    }

    /** @return how many distinct keys are accepted */
    public int size() {
        return entries.size();
    }

    /**
     * @param presented a key as sent by a client, or null
     * @return true when this set is open, or the key is one of the accepted keys (constant-time
     *         over the accepted keys)
     */
    public boolean accepts(String presented) {
        return isOpen() || principal(presented).isPresent();
    }

    /**
     * @param presented a key as sent by a client, or null
     * @return who the key acts for; empty when it is not an accepted key (also on an open set:
     *         there every request is {@link Principal#ANONYMOUS}). Constant-time over the
     *         accepted keys.
     */
    public Optional<Principal> principal(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] d = sha256(presented);
        Principal match = null;
        for (Entry accepted : entries) {
            if (MessageDigest.isEqual(accepted.digest(), d)) {
                match = accepted.principal();
            }
        }
        return Optional.ofNullable(match);
    }

    /**
     * @param method the request's method
     * @param path   the request's path
     * @return true when the request needs no key (see the class comment)
     */
    public static boolean isOpenRoute(HandlerType method, String path) {
        if (OPEN_PATHS.contains(path)) {
            return true;
        }
        boolean read = method == HandlerType.GET || method == HandlerType.HEAD;
        return read && (path.equals("/subjects") || path.startsWith("/subjects/") || path.startsWith("/schemas/"));
    }

    /**
     * The key of a request: the token of {@code Authorization: Bearer <token>}, else the value of
     * {@value #KEY_HEADER}.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param apiKey        the {@value #KEY_HEADER} header, or null
     * @return the presented key, or null when the request carries none
     */
    public static String presentedKey(String authorization, String apiKey) {
        if (authorization != null) {
            String a = authorization.strip();
            int sp = a.indexOf(' ');
            if (sp > 0 && a.substring(0, sp).toLowerCase(Locale.ROOT).equals("bearer")) {
                String token = a.substring(sp + 1).strip();
                if (!token.isEmpty()) {
                    return token;
                }
            }
        }
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.strip();
        }
        return null;
    }

    /**
     * A Javalin before-handler enforcing the keys alone (no JWT, no signed URL): answers 401 (see the
     * class comment) and skips the route for a request without an accepted key, and puts the key's
     * {@link Principal} on the request; does nothing for an open set or an open route.
     *
     * @return the handler ({@link EdgeAuth#handler()} of these keys)
     */
    public Handler handler() {
        return new EdgeAuth(this, null, null).handler();
    }

    private static void validate(String key, String where) {
        if (key.length() < MIN_KEY_LENGTH || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("API key at " + where + " must have " + MIN_KEY_LENGTH + " to "
                    + MAX_KEY_LENGTH + " characters (it has " + key.length() + ")");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("API key at " + where
                        + " must be printable ASCII without blanks (character " + (i + 1) + " is not)");
            }
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** @return e.g. {@code ApiKeys[2 keys]} or {@code ApiKeys[open]}; never the keys */
    @Override
    public String toString() {
        return isOpen() ? "ApiKeys[open]" : "ApiKeys[" + entries.size() + (entries.size() == 1 ? " key]" : " keys]");
    }
}
