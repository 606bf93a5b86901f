package org.hnswcodec.tool;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;
import picocli.CommandLine;

public class TestHnswTool {

  @Test
  public void testNoSubcommandIsAUsageError() {
    ToolFixtures.run().assertError(2, "Missing subcommand", "Commands:");
    ToolFixtures.run("serve").assertError(2, "Unmatched argument at index 0: 'serve'");
  }

  @Test
  public void testHelpAndVersion() {
    ToolFixtures.run("help", "inspect").assertOutput("Usage: hnsw-tool inspect");
    ToolFixtures.run("--version").assertOutput("HnswCodec10 vector format, Lucene 10.");
  }

  /**
   * Picocli passes option descriptions through {@code String.format}: a bare {@code %} (as in "P%
   * of the documents") fails there, and picocli then warns on the standard error stream each time
   * it prints the help.
   */
  @Test
  public void testHelpPrintsNoFormatWarnings() {
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
    try {
      for (String command : new CommandLine(new HnswTool()).getSubcommands().keySet()) {
        ToolFixtures.run(command, "--help").assertOutput("Usage: hnsw-tool " + command);
      }
    } finally {
      System.setErr(stderr);
    }
    assertEquals("", warnings.toString(StandardCharsets.UTF_8));
  }
}
