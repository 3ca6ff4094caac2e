package io.argus.launcher.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The lock of a data directory: an exclusive {@link FileChannel#tryLock()} on
 * {@code <data-dir>/.lock}, taken before anything is written there and held until the process
 * ends (the operating system releases it when the process dies, also on SIGKILL). The process
 * that runs the embedded broker on a data directory holds it ({@code server} and {@code analyze}
 * without {@code --bootstrap-servers}, {@code broker}), and records what it serves in
 * {@code <data-dir>/server.json} ({@link ServerRecord}); {@link #close()} removes that record and
 * releases the lock.
 *
 * <p>Processes given {@code --bootstrap-servers} do not take the lock: stages of one deployment
 * may share a data directory (and so its local frame store) on one machine.
 */
final class DataDirLock implements AutoCloseable {

    /** Name of the lock file inside the data directory. */
    static final String FILE = ".lock";

    private final Path dataDir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path dataDir, FileChannel channel, FileLock lock) {
        this.dataDir = dataDir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param dataDir the data directory (created when missing)
     * @return the lock, or empty when another process (or another owner in this JVM) holds it
     * @throws IOException when the directory or its lock file cannot be created
     */
    static Optional<DataDirLock> tryAcquire(Path dataDir) throws IOException {
        Path dir = dataDir.toAbsolutePath();
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            return Optional.empty();
        }
        return Optional.of(new DataDirLock(dir, ch, l));
    }

    /**
     * Takes the lock, or explains who holds it.
     *
     * @param dataDir the data directory
     * @param hint    what the user can do instead, appended to the message (e.g. "stop it or give
     *                another --data-dir")
     * @return the lock
     * @throws IOException   when the lock file cannot be created
     * @throws UserException (exit 1) "data directory D is in use by the server (pid N, …); HINT"
     *                       when another process holds it
     */
    static DataDirLock acquire(Path dataDir, String hint) throws IOException {
        Optional<DataDirLock> l = tryAcquire(dataDir);
        if (l.isPresent()) {
            return l.get();
        }
        throw new UserException(1, inUse(dataDir, ServerRecord.read(dataDir).orElse(null)) + "; " + hint);
    }

    /**
     * @param dataDir a data directory whose lock another process holds
     * @param record  what that process recorded, or null
     * @return "data directory D is in use by the server (pid N, http://…, Kafka at …)"
     */
    static String inUse(Path dataDir, ServerRecord record) {
        if (record == null) {
            return "data directory " + dataDir + " is in use by another Argus process";
        }
        StringBuilder s = new StringBuilder("data directory ").append(dataDir).append(" is in use by ")
                .append(record.command().equals("server") ? "the server" : "argus " + record.command())
                .append(" (pid ").append(record.pid());
        if (record.httpUrl() != null) {
            s.append(", ").append(record.httpUrl());
        }
        if (record.bootstrapServers() != null) {
            s.append(", Kafka at ").append(record.bootstrapServers());
        }
        return s.append(')').toString();
    }

    /**
     * @param dataDir a data directory
     * @return true when a process holds its lock (false also when the directory does not exist)
     * @throws IOException when the lock file cannot be opened
     */
    static boolean held(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return false;
        }
        Optional<DataDirLock> l = tryAcquire(dataDir);
        l.ifPresent(DataDirLock::releaseOnly);
        return l.isEmpty();
    }

    /**
     * Records what this process serves, atomically (see {@link ServerRecord#write}).
     *
     * @param record the record
     * @throws IOException when it cannot be written
     */
    void record(ServerRecord record) throws IOException {
        record.write(dataDir);
    }

    /** @return the data directory, absolute */
    Path dataDir() {
        return dataDir;
    }

    /** Removes {@code server.json} and releases the lock. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(dataDir.resolve(ServerRecord.FILE));
        } catch (IOException e) {
            // the lock is released below all the same; a stale record is ignored while the lock is free
        }
        releaseOnly();
    }

    private void releaseOnly() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }
}
