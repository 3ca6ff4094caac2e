package io.argus.launcher.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option values from a configuration file (Java properties; the key is the option's long name
 * without dashes, e.g. {@code bootstrap-servers=kafka-1:9092,kafka-2:9092}), below the command line
 * and the environment: an option takes its value from the command line, else from its environment
 * variable ({@code ARGUS_…}, named in its help), else from the file, else its built-in default.
 *
 * <p>The file is named by {@code --config FILE} (anywhere on the command line) or the environment
 * variable {@code ARGUS_CONFIG}.
 */
public final class ConfigFileDefaults implements IDefaultValueProvider {

    /** Option naming the file. */
    public static final String OPTION = "--config";
    /** Environment variable naming the file when the option is absent. */
    public static final String ENV = "ARGUS_CONFIG";

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");

    private final Properties values;
    private final UnaryOperator<String> env;

    /**
     * @param values the file's properties
     * @param env    environment lookup (System::getenv)
     */
    public ConfigFileDefaults(Properties values, UnaryOperator<String> env) {
        this.values = values;
        this.env = env;
    }

    /**
     * @param file a properties file (UTF-8)
     * @return the defaults it holds
     * @throws IOException when the file cannot be read
     */
    public static ConfigFileDefaults load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new ConfigFileDefaults(p, System::getenv);
    }

    /**
     * @param args the command line
     * @param env  environment lookup
     * @return the file named by {@code --config FILE} / {@code --config=FILE}, else by
     *         {@code ARGUS_CONFIG}, else null
     */
    public static Path locate(String[] args, UnaryOperator<String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(OPTION) && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith(OPTION + "=")) {
                return Path.of(args[i].substring(OPTION.length() + 1));
            }
        }
        String e = env.apply(ENV);
        return e == null || e.isBlank() ? null : Path.of(e);
    }

    /**
     * @return the default as written in the {@code @Option} annotation, before picocli interpolates
     *         {@code ${env:…}} (which {@link OptionSpec#defaultValue()} has already done)
     */
    public static String annotatedDefault(OptionSpec option) {
        if (option.userObject() instanceof java.lang.reflect.AnnotatedElement element) {
            picocli.CommandLine.Option o = element.getAnnotation(picocli.CommandLine.Option.class);
            if (o != null) {
                return o.defaultValue();
            }
        }
        return option.defaultValue();
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.longestName().equals(OPTION)) {
            return null;
        }
        String annotated = annotatedDefault(option);
        if (annotated != null) {
            Matcher m = ENV_REF.matcher(annotated);
            if (m.find() && env.apply(m.group(1)) != null) {
                return null; // the environment wins over the file: the annotation reads it
            }
        }
        return values.getProperty(option.longestName().replaceFirst("^-+", ""));
    }
}
