package io.argus.edge.hooks;

import io.argus.schemas.avro.HookCall;

/**
 * Makes one delivery attempt of a hook call. {@link HookClient} is the HTTP implementation; tests
 * may substitute their own.
 */
@FunctionalInterface
public interface HookTransport {

    /**
     * Makes one attempt, blocking for at most the attempt timeout. Never throws: every failure is
     * an {@link AttemptResult}.
     *
     * @param call    the call (URL, kind, idempotency key)
     * @param body    its rendered body ({@link HookBodies#bytes}), the same bytes on every attempt
     * @param attempt 1-based attempt number
     * @return what the attempt came to
     */
    AttemptResult attempt(HookCall call, byte[] body, int attempt);
}
