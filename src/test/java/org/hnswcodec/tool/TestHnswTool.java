package org.hnswcodec.tool;

import org.junit.Test;

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
}
