package io.argus.analyzer.ops.remote;

/**
 * A remote inference call failed on one frame: the service was unreachable, did not answer within
 * the timeout, answered with an HTTP error or an error code, or gave an answer that cannot be
 * mapped to labels. The message says which, with the endpoint; the analyzer puts it on the frame's
 * result ({@code error}) and goes on with the next frame.
 */
public final class RemoteException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what failed, with the endpoint */
    public RemoteException(String message) {
        super(message);
    }

    /**
     * @param message what failed, with the endpoint
     * @param cause   the underlying failure
     */
    public RemoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
