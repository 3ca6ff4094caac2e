package io.argus.launcher.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code argus} command line: {@code analyze}, {@code server}, {@code broker}, {@code results},
 * {@code samples}, {@code models}, {@code bench}.
 *
 * <p>No stack trace reaches the user: a {@link UserException} or {@link IllegalArgumentException}
 * prints {@code argus: <message>}; any other exception prints its message and those of its causes
 * on one line (the whole trace with {@code ARGUS_DEBUG=true}) and exits 1.
 */
@Command(name = "argus", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Kafka-native video analysis pipeline.",
        subcommands = {AnalyzeCommand.class, ServerCommand.class, BrokerCommand.class, ResultsCommand.class,
                SamplesCommand.class, ModelsCommand.class, BenchCommand.class, EvalCommand.class})
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
     *         ({@link ConfigFileDefaults}), errors printed without stack traces, and {@code analyze
     *         --help} without the server's options
     */
    public static CommandLine commandLine(String[] args) {
        CommandLine cmd = new CommandLine(new ArgusCommand());
        AnalyzeCommand.hideServerOptions(cmd.getSubcommands().get("analyze").getCommandSpec());
        // a bad option value found while starting (e.g. an unknown stage) is a usage error, not a crash
        cmd.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof UserException u) {
                line.getErr().println("argus: " + u.getMessage());
                return u.exitCode();
            }
            if (ex instanceof IllegalArgumentException) {
                line.getErr().println("argus: " + ex.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            line.getErr().println("argus: " + messages(ex));
            if (Boolean.parseBoolean(System.getenv("ARGUS_DEBUG"))) {
                ex.printStackTrace(line.getErr());
            } else {
                line.getErr().println("(ARGUS_DEBUG=true shows the stack trace)");
            }
            return CommandLine.ExitCode.SOFTWARE;
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

    /**
     * @param e an exception
     * @return its message and those of its causes, each once, joined by ": " (the class name
     *         stands for a missing message)
     */
    static String messages(Throwable e) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 8; t = t.getCause()) {
            String m = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
            if (parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }
}
