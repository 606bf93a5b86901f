package org.hnswcodec.tool;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.util.VectorUtil;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TestInspectCommand {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private Path index(int count, String... extra) throws IOException {
    Path dir = temp.getRoot().toPath();
    Path input =
        ToolFixtures.writeFvecs(dir.resolve("v.fvecs"), ToolFixtures.randomVectors(count, 8, 5));
    Path index = dir.resolve("index");
    ToolFixtures.Run run = ToolFixtures.index(input, index, extra);
    assertEquals(run.err(), 0, run.exitCode());
    return index;
  }

  @Test
  public void testArgumentErrors() throws IOException {
    ToolFixtures.run("inspect").assertError(2, "Missing required option: '--index=DIR'");

    Path index = index(50);
    ToolFixtures.run("inspect", "-i", index.toString(), "--bins", "0")
        .assertError(2, "--bins must be >= 1");
    ToolFixtures.run("inspect", "-i", index.toString(), "--field", "other")
        .assertError(1, "no segment has a vector field \"other\"");
    ToolFixtures.run("inspect", "-i", temp.getRoot().toPath().resolve("nothing").toString())
        .assertError(1, "hnsw-tool inspect: error:");
  }

  @Test
  public void testNumbersAreConsistent() throws IOException {
    Path index = index(400, "-M", "6", "--min-graph-size", "0");
    ToolFixtures.Run run = ToolFixtures.run("inspect", "-i", index.toString(), "--json");
    assertEquals(run.err(), 0, run.exitCode());
    String[] lines = run.out().strip().split("\n");
    assertEquals("one segment, one field", 1, lines.length);
    JsonObject field = JsonParser.parseString(lines[0]).getAsJsonObject();
    assertEquals(400, field.get("vectors").getAsInt());
    assertEquals(8, field.get("dimension").getAsInt());
    assertEquals("EUCLIDEAN", field.get("similarity").getAsString());
    assertEquals(false, field.get("unitLength").getAsBoolean());
    assertEquals("HnswCodec10", field.get("format").getAsString());
    assertEquals(6, field.get("M").getAsInt());
    assertEquals(true, field.get("hasGraph").getAsBoolean());
    JsonObject layer0 = field.getAsJsonArray("layers").get(0).getAsJsonObject();
    assertEquals(400, layer0.get("nodes").getAsInt());
    assertTrue(layer0.get("maxDegree").getAsInt() <= 12);
    long histogramTotal = 0;
    long degreeTotal = 0;
    int degree = 0;
    for (JsonElement count : field.getAsJsonArray("layer0DegreeCounts")) {
      histogramTotal += count.getAsLong();
      degreeTotal += degree++ * count.getAsLong();
    }
    assertEquals(13, degree);
    assertEquals(400, histogramTotal);
    assertEquals(layer0.get("meanDegree").getAsDouble(), degreeTotal / 400.0, 1e-9);
    int upperNodes = Integer.MAX_VALUE;
    for (JsonElement layer : field.getAsJsonArray("layers")) {
      int nodes = layer.getAsJsonObject().get("nodes").getAsInt();
      assertTrue("each layer has at most the nodes of the one below", nodes <= upperNodes);
      upperNodes = nodes;
    }
    int onLayer0 = field.get("unreachableOnLayer0").getAsInt();
    int anyLayer = field.get("unreachableAnyLayer").getAsInt();
    assertTrue(anyLayer >= 0 && anyLayer <= onLayer0 && onLayer0 < 400);

    run = ToolFixtures.run("inspect", "-i", index.toString());
    run.assertOutput(
        "field \"vector\": 400 vectors, 8 dimensions, FLOAT32, EUCLIDEAN, format HnswCodec10",
        "M=6 efConstruction=100 default ef=100",
        "unreachable from the entry node over layer-0 links");
  }

  /** Below the index command's default --min-graph-size (650) a segment has no graph. */
  @Test
  public void testSegmentWithoutGraph() throws IOException {
    Path index = index(300);
    ToolFixtures.Run run = ToolFixtures.run("inspect", "-i", index.toString(), "--json");
    assertEquals(run.err(), 0, run.exitCode());
    JsonObject field = JsonParser.parseString(run.out().strip()).getAsJsonObject();
    assertEquals(300, field.get("vectors").getAsInt());
    assertEquals(false, field.get("hasGraph").getAsBoolean());
    assertEquals(0, field.getAsJsonArray("layers").size());
    assertEquals(0, field.get("graphBytes").getAsLong());
    ToolFixtures.run("inspect", "-i", index.toString())
        .assertOutput(
            "field \"vector\": 300 vectors",
            "no graph (too few vectors in this segment): searches score every vector");
  }

  /** A COSINE field of unit-length vectors shows its mark: cosine is scored as a dot product. */
  @Test
  public void testUnitLengthMark() throws IOException {
    Path dir = temp.getRoot().toPath();
    float[][] vectors = ToolFixtures.randomVectors(200, 8, 7);
    for (float[] vector : vectors) {
      VectorUtil.l2normalize(vector);
    }
    Path input = ToolFixtures.writeFvecs(dir.resolve("unit.fvecs"), vectors);
    Path index = dir.resolve("unit-index");
    ToolFixtures.Run run = ToolFixtures.index(input, index, "-s", "COSINE");
    assertEquals(run.err(), 0, run.exitCode());

    run = ToolFixtures.run("inspect", "-i", index.toString(), "--json");
    assertEquals(run.err(), 0, run.exitCode());
    JsonObject field = JsonParser.parseString(run.out().strip()).getAsJsonObject();
    assertEquals("COSINE", field.get("similarity").getAsString());
    assertEquals(true, field.get("unitLength").getAsBoolean());
    ToolFixtures.run("inspect", "-i", index.toString())
        .assertOutput("all vectors of unit length: cosine scored as a dot product");
  }
}
