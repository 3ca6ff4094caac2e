package io.argus.edge.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.argus.edge.submit.ControlSink;
import io.argus.schemas.avro.JobControl;

/** An in-memory {@link ControlSink} recording what it is given and running an optional reaction. */
final class RecordingControlSink implements ControlSink {

    final List<JobControl> commands = new CopyOnWriteArrayList<>();
    volatile Consumer<JobControl> onSend = c -> { };
    volatile boolean closed;

    @Override
    public void send(JobControl command) {
        onSend.accept(command);
        commands.add(command);
    }

    @Override
    public void close() {
        closed = true;
    }
}
