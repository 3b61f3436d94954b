package org.memshare.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code memshare} command (scripts/memshare): {@code select}, {@code ls}, {@code inspect}, {@code sweep}.
 *
 * <p>A new subcommand is one class annotated with {@code @Command} implementing
 * {@code Callable<Integer>}, listed in {@link #SUBCOMMANDS}. Errors are one line on stderr and a
 * non-zero exit: 1 for a failure (including a segment that does not validate), 2 for bad usage;
 * never a stack trace (set MEMSHARE_DEBUG=1 to get one for an internal error).
 */
@Command(name = "memshare", mixinStandardHelpOptions = true, versionProvider = MemshareCli.Version.class,
        description = "Feature selection by mutual information over shared memory; inspect and clean up memshare variables (R memshare compatible).")
public final class MemshareCli implements Runnable {
    /** Exit status for a failed command. */
    public static final int FAILURE = 1;
    /** Exit status for bad usage. */
    public static final int USAGE = 2;

    /** The subcommands, in the order {@code memshare --help} lists them; each run gets fresh instances. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(SelectCommand.class, LsCommand.class, InspectCommand.class,
            SweepCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Entry point. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int status = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs one command line, writing to {@code out} and {@code err}; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The configured command line (for tests and embedding). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MemshareCli());
        for (Class<?> sub : SUBCOMMANDS) cl.addSubcommand(sub);
        // -V on a subcommand prints the same version as on the top command (picocli gives a
        // subcommand's mixin no provider of its own, and -V then printed nothing).
        for (CommandLine sub : cl.getSubcommands().values()) sub.getCommandSpec().versionProvider(new Version());
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            // select's inputs are an exclusive argument group; picocli's own message lists every group.
            String message = ex instanceof CommandLine.MutuallyExclusiveArgsException && ex.getCommandLine().getCommand() instanceof SelectCommand
                    ? SelectOptions.inputs(ex.getCommandLine().getParseResult())
                    : ex instanceof CommandLine.UnmatchedArgumentException u ? unmatched(u) : ex.getMessage();
            err.println("memshare: " + oneLine(message) + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            PrintWriter err = line.getErr();
            if (ex instanceof UsageException) {
                err.println("memshare: " + oneLine(ex.getMessage()) + " (see '" + line.getCommandSpec().qualifiedName() + " --help')");
                return USAGE;
            }
            if (ex instanceof CliException || ex instanceof org.memshare.MemshareException || ex instanceof IllegalArgumentException) {
                err.println("memshare: " + oneLine(ex.getMessage()));
            } else {
                err.println("memshare: internal error: " + ex.getClass().getName() + ": " + oneLine(ex.getMessage()));
                if (System.getenv("MEMSHARE_DEBUG") != null) ex.printStackTrace(err);
            }
            return FAILURE;
        });
        return cl;
    }

    /**
     * An unknown command or option, with the close names ("did you mean 'select'?"): a typo of a
     * command is told as such, not as picocli's "Unmatched argument at index 0".
     */
    static String unmatched(CommandLine.UnmatchedArgumentException ex) {
        CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
        java.util.List<String> args = ex.getUnmatched();
        String arg = args.isEmpty() ? "" : args.get(0);
        boolean option = arg.startsWith("-");
        // Options compared without their dashes (--sepp is one edit from --sep, not two from --help); hidden ones not offered.
        java.util.Map<String, String> names = new java.util.LinkedHashMap<>();
        if (option) {
            for (CommandLine.Model.OptionSpec o : spec.options())
                if (!o.hidden()) for (String n : o.names()) names.putIfAbsent(n.replaceFirst("^-+", ""), n);
        } else {
            for (String n : spec.subcommands().keySet()) names.put(n, n);
        }
        if (!option && names.isEmpty()) return ex.getMessage();
        String given = (option && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg).replaceFirst("^-+", "");
        java.util.List<String> close = ColumnNames.closest(given, new java.util.ArrayList<>(names.keySet()));
        String meant = close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close.stream().map(n -> "'" + names.get(n) + "'").toList())
                + "?";
        return option ? oneLine(ex.getMessage()) + meant
                : "unknown command '" + ColumnNames.shown(arg) + "'" + meant + " (commands: " + String.join(", ", names.keySet()) + ")";
    }

    /** A message on one line. */
    static String oneLine(String message) {
        return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    @Override
    public void run() {
        // No subcommand: show the usage, as a usage error.
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: select, ls, inspect or sweep");
    }

    /** The version from the JAR manifest, if any. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = MemshareCli.class.getPackage().getImplementationVersion();
            return new String[] {"memshare " + (v != null ? v : "(development build)")};
        }
    }

    /** Bad usage found by a command itself (an option combination, an unknown column): exit status 2. */
    static final class UsageException extends CliException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** A failure the command reports as one line. */
    static class CliException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CliException(String message) {
            super(message);
        }
    }
}
