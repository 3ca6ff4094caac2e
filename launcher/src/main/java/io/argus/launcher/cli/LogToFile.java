package io.argus.launcher.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends log lines to a file while a progress bar owns the terminal: slf4j-simple writes to
 * whatever {@code System.err} is at each line ({@code simplelogger.properties} keeps the default
 * {@code logFile=System.err}, not cached), so replacing {@code System.err} moves every logger at
 * once; {@link #close()} puts the terminal back. The bar itself writes to {@link #terminal()}.
 */
final class LogToFile implements AutoCloseable {

    private final PrintStream terminal;
    private final PrintStream file;
    private final Path path;

    private LogToFile(PrintStream terminal, PrintStream file, Path path) {
        this.terminal = terminal;
        this.file = file;
        this.path = path;
    }

    /**
     * @param path the log file (appended to; its directory is created)
     * @return the redirection, in force until closed
     * @throws IOException when the file cannot be opened
     */
    static LogToFile start(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        PrintStream file = new PrintStream(new FileOutputStream(path.toFile(), true), true, StandardCharsets.UTF_8);
        PrintStream terminal = System.err;
        System.setErr(file);
        return new LogToFile(terminal, file, path);
    }

    /** @return standard error as it was before: the terminal */
    PrintStream terminal() {
        return terminal;
    }

    /** @return the log file */
    Path path() {
        return path;
    }

    /** Restores standard error. */
    @Override
    public void close() {
        System.setErr(terminal);
        file.close();
    }
}
