package io.argus.launcher.cli;

/**
 * An error the user can act on: {@link ArgusCommand} prints {@code argus: <message>} on standard
 * error, without a stack trace, and exits with {@link #exitCode()}.
 */
public final class UserException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param exitCode the process exit code (1 a failure, 2 a usage error)
     * @param message  what went wrong and what to do
     */
    public UserException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** @return the process exit code */
    public int exitCode() {
        return exitCode;
    }
}
