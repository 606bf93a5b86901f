package org.hnswcodec.tool;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import org.apache.lucene.util.Version;
import org.hnswcodec.codec.HnswCodecVectorsFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The command-line tool of hnsw-codec: {@code index}, {@code search}, {@code inspect} and {@code
 * bench} subcommands over Lucene indexes that use the {@code HnswCodec10} vector format. Run it
 * with {@code examples/hnsw-tool}, or {@code mvn -q test-compile exec:exec
 * -Dexample.main=org.hnswcodec.tool.HnswTool -Dexample.args="..."}.
 *
 * <p>Exit codes: 0 on success, 1 when a command fails (a bad input file, an I/O error), 2 when the
 * command line is wrong.
 */
@Command(
    name = "hnsw-tool",
    mixinStandardHelpOptions = true,
    versionProvider = HnswTool.VersionProvider.class,
    description = "Index, search, inspect and benchmark vectors with the hnsw-codec HNSW format.",
    subcommands = {
      IndexCommand.class,
      SearchCommand.class,
      InspectCommand.class,
      BenchCommand.class,
      HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success",
      "  1  the command failed (bad input file, I/O error)",
      "  2  invalid command line"
    })
public final class HnswTool implements Runnable {

  @Spec private CommandSpec spec;

  /** Runs the tool and exits the JVM with its exit code. */
  public static void main(String[] args) {
    // The bench draws its plot without a display.
    System.setProperty("java.awt.headless", "true");
    int exitCode = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    System.exit(exitCode);
  }

  /**
   * Runs the tool with its output going to {@code out} and its messages to {@code err}.
   *
   * @return the exit code
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine =
        new CommandLine(new HnswTool())
            .setOut(out)
            .setErr(err)
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler(HnswTool::reportFailure);
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand");
  }

  /**
   * Reports a failure caused by the input in one line; anything else is a bug, whose stack trace
   * picocli prints when this rethrows.
   */
  private static int reportFailure(Exception e, CommandLine command, ParseResult parseResult)
      throws Exception {
    String message;
    if (e instanceof NoSuchFileException missing) {
      message = "no such file: " + missing.getFile();
    } else if (e instanceof IOException) {
      message = e.getClass().getSimpleName() + ": " + e.getMessage();
    } else if (e instanceof InputException || e instanceof IllegalArgumentException) {
      message = e.getMessage();
    } else {
      throw e;
    }
    command.getErr().println("hnsw-tool " + command.getCommandName() + ": error: " + message);
    return 1;
  }

  /** Names the tool, its format and the Lucene it runs on. */
  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "hnsw-tool ("
            + HnswCodecVectorsFormat.NAME
            + " vector format, Lucene "
            + Version.LATEST
            + ", Java "
            + Runtime.version()
            + ")"
      };
    }
  }
}
