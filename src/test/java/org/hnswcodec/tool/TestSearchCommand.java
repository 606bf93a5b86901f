package org.hnswcodec.tool;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TestSearchCommand {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private final float[][] base = ToolFixtures.randomVectors(300, 8, 3);
  private final float[][] queries = ToolFixtures.randomVectors(20, 8, 4);
  private Path index;
  private Path queryFile;
  private Path truthFile;

  @Before
  public void buildIndex() throws IOException {
    Path dir = temp.getRoot().toPath();
    Path input = ToolFixtures.writeJsonl(dir.resolve("base.jsonl"), base);
    queryFile = ToolFixtures.writeFvecs(dir.resolve("queries.fvecs"), queries);
    truthFile =
        ToolFixtures.writeIvecs(
            dir.resolve("truth.ivecs"), ToolFixtures.groundTruth(base, queries, 10));
    index = dir.resolve("index");
    ToolFixtures.Run run = ToolFixtures.index(input, index);
    assertEquals(run.err(), 0, run.exitCode());
  }

  private ToolFixtures.Run search(String... extra) {
    return ToolFixtures.run(
        List.of(
            "search", "--index=" + index, "--queries=" + queryFile, "--groundtruth=" + truthFile),
        extra);
  }

  @Test
  public void testArgumentErrors() {
    search("-k", "0").assertError(2, "-k must be >= 1; got 0");
    search("--rows", "9:3").assertError(2, "Invalid value for option '--rows': '9:3' is empty");
    search("--filter", "color").assertError(2, "--filter must be FIELD:VALUE");
    search("--filter", "shape:round").assertError(1, "no indexed field \"shape\"");
    search("-k", "11").assertError(1, "has 10 neighbours per query; recall@11 needs 11");
    search("--field", "embedding")
        .assertError(1, "no vector field \"embedding\"; its vector fields: [vector]");
    ToolFixtures.run("search", "--index", index.toString())
        .assertError(2, "Missing required option: '--queries=FILE'");
  }

  @Test
  public void testRecallIsOneWithWideBeam() {
    ToolFixtures.Run run = search("--ef", "200", "--no-hits");
    run.assertOutput("20 queries, k=10, ef=200");
    assertEquals(1.0, recall(run.out()), 0.0);
  }

  @Test
  public void testHitsAreRowsWithFields() {
    ToolFixtures.Run run = search("--rows", "2:4", "-k", "3", "--show-fields", "title");
    run.assertOutput("query row 2: 3 hits", "query row 3: 3 hits");
    // Each hit names its row and shows that row's title.
    Matcher hit =
        Pattern.compile("row (\\d+) +score \\S+ +title=Item number (\\d+)").matcher(run.out());
    int hits = 0;
    while (hit.find()) {
      assertEquals(hit.group(1), hit.group(2));
      hits++;
    }
    assertEquals(6, hits);
  }

  @Test
  public void testFilterKeepsMatchingDocuments() {
    ToolFixtures.Run run = search("--filter", "color:RED", "--ef", "300");
    assertEquals(run.err(), 0, run.exitCode());
    Matcher hit = Pattern.compile("\\d+\\. row (\\d+) ").matcher(run.out());
    int hits = 0;
    while (hit.find()) {
      assertEquals("rows of red documents are multiples of 3", 0, Long.parseLong(hit.group(1)) % 3);
      hits++;
    }
    assertEquals(20 * 10, hits);
  }

  private static double recall(String out) {
    Matcher m = Pattern.compile("recall@10: ([0-9.]+)").matcher(out);
    assertTrue(out, m.find());
    return Double.parseDouble(m.group(1));
  }
}
