package io.argus.extractor.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories local sources (a plain path or {@code file:} URI in {@code data.uri}) may be
 * read from. Without any, every file the process can read is allowed: the one-machine default,
 * where the caller is the machine's user. A deployment that serves other callers lists its video
 * directories ({@code --file-roots}), so a request cannot make ingest read any other file.
 *
 * <p>A file is inside a root when its real path (symlinks followed, {@code ..} resolved, as
 * {@link Path#toRealPath}) starts with the root's real path, component by component:
 * {@code /videos2/a.mp4} is not inside {@code /videos}, and a symlink under a root that points out
 * of it is refused.
 */
public final class FileRoots {

    private static final FileRoots ANY = new FileRoots(List.of());

    private final List<Path> roots;

    private FileRoots(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** @return no restriction: any readable file */
    public static FileRoots any() {
        return ANY;
    }

    /**
     * @param setting comma-separated directories; null or blank for {@link #any()}
     * @return the roots
     * @throws IllegalArgumentException when a listed directory does not exist or is not a directory
     */
    public static FileRoots of(String setting) {
        if (setting == null || setting.isBlank()) {
            return ANY;
        }
        List<Path> roots = new ArrayList<>();
        for (String part : setting.split(",")) {
            String dir = part.strip();
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path p = Path.of(dir);
                if (!Files.isDirectory(p)) {
                    throw new IllegalArgumentException("file root " + dir + " is not a directory");
                }
                roots.add(p.toRealPath());
            } catch (IOException | InvalidPathException e) {
                throw new IllegalArgumentException("file root " + dir + " cannot be used: " + e.getMessage(), e);
            }
        }
        return roots.isEmpty() ? ANY : new FileRoots(roots);
    }

    /**
     * @param file a local file named by a request
     * @return true when there are no roots, or when the file exists and its real path is inside one
     */
    public boolean allows(Path file) {
        if (roots.isEmpty()) {
            return true;
        }
        try {
            Path real = file.toRealPath();
            return roots.stream().anyMatch(real::startsWith);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** @return true when every readable file is allowed */
    public boolean isAny() {
        return roots.isEmpty();
    }

    @Override
    public String toString() {
        return roots.isEmpty() ? "any" : roots.toString();
    }
}
