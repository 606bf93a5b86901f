package org.hnswcodec.tool;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class TestHnswTool {

  @Test
  public void testNoSubcommandIsAUsageError() {
    ToolFixtures.Run run = ToolFixtures.run();
    assertEquals(2, run.exitCode());
    assertTrue(run.err(), run.err().contains("Missing subcommand"));
    assertTrue(run.err(), run.err().contains("Commands:"));

    run = ToolFixtures.run("serve");
    assertEquals(2, run.exitCode());
    assertTrue(run.err(), run.err().contains("Unmatched argument at index 0: 'serve'"));
  }

  @Test
  public void testHelpAndVersion() {
    ToolFixtures.Run run = ToolFixtures.run("help", "inspect");
    assertEquals(0, run.exitCode());
    assertTrue(run.out(), run.out().contains("Usage: hnsw-tool inspect"));

    run = ToolFixtures.run("--version");
    assertEquals(0, run.exitCode());
    assertTrue(run.out(), run.out().contains("HnswCodec10 vector format, Lucene 10."));
  }
}
