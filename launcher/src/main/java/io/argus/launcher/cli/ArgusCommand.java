package io.argus.launcher.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code argus} command line: {@code analyze}, {@code server}, {@code results}, {@code samples}, {@code models}, {@code bench}. */
@Command(name = "argus", mixinStandardHelpOptions = true, version = "argus 0.1.0",
        description = "Kafka-native video analysis pipeline.",
        subcommands = {AnalyzeCommand.class, ServerCommand.class, ResultsCommand.class, SamplesCommand.class,
                ModelsCommand.class, BenchCommand.class})
public final class ArgusCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ArgusCommand()).execute(args));
    }
}
