package io.argus.extractor.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Opens a {@link FrameStore} from its location, as given to {@code --frame-store} or
 * {@code ARGUS_FRAME_STORE}:
 * <ul>
 *   <li>absent (null or blank): a {@link LocalFrameStore} at the caller's default directory;</li>
 *   <li>a plain path ({@code /srv/argus/frames}, {@code frames}) or a {@code file:} URI
 *       ({@code file:///srv/argus/frames}): a {@link LocalFrameStore} there, which spans machines
 *       only through a shared file system mounted at the same path everywhere;</li>
 *   <li>{@code s3://BUCKET[/PREFIX][?endpoint=URL&region=NAME&path_style=true|false]}: an
 *       {@link S3FrameStore} (parameters in {@link S3StoreConfig}), with credentials from the AWS
 *       default chain ({@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} among others).</li>
 * </ul>
 * Any other scheme ({@code gs://}, {@code http://}…) is refused. Every stage of a deployment must
 * open the same location: frame URIs on Kafka name the store that wrote them.
 */
public final class FrameStores {

    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*", Pattern.DOTALL);

    private FrameStores() {
    }

    /**
     * @param location     a frame-store location (see the class comment), or null or blank
     * @param defaultLocal directory of the local store used when {@code location} is null or blank
     * @return the opened store; the caller closes it. An S3 store has checked its bucket
     *         ({@link S3FrameStore#checkBucket})
     * @throws IllegalArgumentException with a message naming the problem for an unsupported scheme
     *                                  or a malformed location
     * @throws IOException              when the local directory cannot be created, or the S3 bucket
     *                                  is missing, unreachable or not accessible with the
     *                                  credentials found
     */
    public static FrameStore open(String location, Path defaultLocal) throws IOException {
        if (location == null || location.isBlank()) {
            return new LocalFrameStore(defaultLocal);
        }
        return open(location);
    }

    /**
     * @param location a frame-store location (see the class comment)
     * @return the opened store; the caller closes it. An S3 store has checked its bucket
     * @throws IllegalArgumentException with a message naming the problem for a blank location, an
     *                                  unsupported scheme or a malformed location
     * @throws IOException              as {@link #open(String, Path)}
     */
    public static FrameStore open(String location) throws IOException {
        String s = location == null ? "" : location.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("frame-store location is empty");
        }
        var m = SCHEME.matcher(s);
        String scheme = m.matches() && m.group(1).length() > 1 ? m.group(1).toLowerCase(Locale.ROOT) : null;
        if (scheme == null) { // a plain path (a one-letter "scheme" is a Windows drive)
            try {
                return new LocalFrameStore(Path.of(s));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("bad frame-store path '" + S3StoreConfig.shownLocation(s) + "': "
                        + e.getReason());
            }
        }
        switch (scheme) {
            case "file" -> {
                Path root;
                try {
                    root = Path.of(URI.create(s));
                } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                    throw new IllegalArgumentException("bad file: frame-store location '" + S3StoreConfig.shownLocation(s)
                            + "' (expected file:///absolute/path): " + e.getMessage());
                }
                return new LocalFrameStore(root);
            }
            case "s3" -> {
                S3FrameStore store = new S3FrameStore(S3StoreConfig.parse(s));
                try {
                    store.checkBucket();
                } catch (IOException | RuntimeException e) {
                    store.close();
                    throw e;
                }
                return store;
            }
            default -> throw new IllegalArgumentException("unsupported frame-store location '"
                    + S3StoreConfig.shownLocation(s) + "': a directory, file:///path or s3://bucket/prefix");
        }
    }
}
