package io.argus.launcher.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code argus} command line: {@code analyze}, {@code server}, {@code results}, {@code samples}, {@code models}, {@code bench}. */
@Command(name = "argus", mixinStandardHelpOptions = true, version = "argus 0.1.0",
        description = "Kafka-native video analysis pipeline.",
        subcommands = {AnalyzeCommand.class, ServerCommand.class, ResultsCommand.class, SamplesCommand.class,
                ModelsCommand.class, BenchCommand.class, EvalCommand.class})
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
        System.exit(commandLine(args).execute(args));
    }

    /**
     * @param args command-line arguments, searched for {@code --config FILE}
     * @return the command line, with option defaults from the configuration file when one is named
     *         ({@link ConfigFileDefaults})
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cmd = new CommandLine(new ArgusCommand());
        // a bad option value found while starting (e.g. an unknown stage) is a usage error, not a crash
        cmd.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                line.getErr().println("argus: " + ex.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            throw ex;
        });
        java.nio.file.Path file = ConfigFileDefaults.locate(args, System::getenv);
        if (file != null) {
            try {
                cmd.setDefaultValueProvider(ConfigFileDefaults.load(file));
            } catch (java.io.IOException e) {
                System.err.println("argus: cannot read the configuration file " + file + ": " + e.getMessage());
                System.exit(2);
            }
        }
        return cmd;
    }
}
