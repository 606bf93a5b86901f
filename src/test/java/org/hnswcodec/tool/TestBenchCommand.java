package org.hnswcodec.tool;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TestBenchCommand {

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void testArgumentErrors() {
    ToolFixtures.run("bench").assertError(2, "Missing required argument");
    ToolFixtures.run(
            "bench",
            "--dataset",
            "sift",
            "--base",
            "b.fvecs",
            "--queries",
            "q.fvecs",
            "--groundtruth",
            "g.ivecs")
        .assertError(2, "mutually exclusive");
    ToolFixtures.run("bench", "--base", "b.fvecs").assertError(2, "Missing required argument");
    ToolFixtures.run("bench", "--dataset", "sift", "--flush-mode", "sometimes")
        .assertError(2, "'sometimes' is not a flush mode; expected one of [natural, one-segment]");
    ToolFixtures.run(
            "bench",
            "--dataset",
            "sift",
            "--flush-mode",
            "one-segment",
            "--max-buffered-docs",
            "10")
        .assertError(2, "apply to the natural flush mode only");
    ToolFixtures.run("bench", "--dataset", "sift", "--ef", "10,0", "--rounds", "0")
        .assertError(2, "--ef values must be >= 1", "--rounds must be >= 1");
    ToolFixtures.run("bench", "--dataset", "sift", "--passes", "0", "--build-workers", "0")
        .assertError(
            2, "--passes must be >= 1; got 0", "--build-workers must be >= 1 and <= 128; got 0");
    ToolFixtures.run("bench", "--dataset", "sift", "--filter-percent", "100")
        .assertError(2, "--filter-percent must be >= 1 and <= 99; got 100");
    ToolFixtures.run("bench", "--dataset", "sift", "--filtered-search-threshold", "101")
        .assertError(2, "--filtered-search-threshold must be >= 0 and <= 100; got 101");
    ToolFixtures.run("bench", "--dataset", "sift", "--grow-to", "5", "--jitter", "-1")
        .assertError(
            2,
            "--grow-to must be >= k (10); got 5",
            "--jitter must be a finite number >= 0; got -1.0");
    ToolFixtures.run("bench", "--dataset", "sift", "--jitter", "0.5")
        .assertError(2, "--jitter applies with --grow-to only");
    ToolFixtures.run("bench", "--base", "b.fvecs", "--queries", "q.fvecs")
        .assertError(
            2, "--groundtruth is needed, unless --filter-percent or --grow-to computes it");
    ToolFixtures.run("bench", "--dataset", "glove")
        .assertError(1, "no bundled dataset \"glove\"; there are: sift (");
    ToolFixtures.run("bench", "--help").assertOutput("SIFT descriptors");
  }

  @Test
  public void testBenchWritesRowsAndPlot() throws IOException {
    Path dir = temp.getRoot().toPath();
    Path json = dir.resolve("out.jsonl");
    Path png = dir.resolve("out.png");
    ToolFixtures.Run run =
        bench(
            300,
            "--ef",
            "300,10,40",
            "--rounds",
            "2",
            "--passes",
            "2",
            "--build-workers",
            "2",
            "--warmup-rounds",
            "1",
            "--build-rounds",
            "2",
            "--work-dir",
            dir.resolve("work").toString(),
            "--json",
            json.toString(),
            "--plot",
            png.toString());
    run.assertOutput(
        "segments after build                            4              4",
        "force-merge CPU s",
        "; 2 build workers",
        "2 timed rounds of 2 passes");

    Map<String, Integer> types = new HashMap<>();
    Set<String> searchFormats = new HashSet<>();
    for (String line : Files.readAllLines(json)) {
      JsonObject row = JsonParser.parseString(line).getAsJsonObject();
      String type = row.get("type").getAsString();
      types.merge(type, 1, Integer::sum);
      if (type.equals("run")) {
        assertEquals(2, row.get("passes").getAsInt());
        assertEquals(2, row.get("buildWorkers").getAsInt());
      } else if (type.equals("search")) {
        searchFormats.add(row.get("format").getAsString());
        assertEquals(2, row.getAsJsonArray("qpsPerRound").size());
        assertTrue(row.get("qps").getAsDouble() > 0);
        assertTrue(row.get("visited").getAsDouble() > 0);
        if (row.get("ef").getAsInt() == 300) {
          assertEquals(
              "a beam as wide as the data finds everything",
              1.0,
              row.get("recall").getAsDouble(),
              0.0);
        }
      } else if (type.equals("build")) {
        assertTrue(row.get("graphBytesPerVector").getAsDouble() > 0);
        assertTrue(row.get("mergeCpuS").isJsonNull() == false);
        assertEquals(2, row.getAsJsonArray("buildCpuSPerRound").size());
        assertTrue(row.get("indexBytes").getAsLong() > 300 * 8 * 4);
      }
    }
    assertEquals(Set.of("HnswCodec10", "Lucene99Hnsw"), searchFormats);
    assertEquals(Integer.valueOf(1), types.get("run"));
    assertEquals(Integer.valueOf(2), types.get("build"));
    assertEquals("3 ef x 2 formats", Integer.valueOf(6), types.get("search"));
    assertTrue(types.get("ratio") >= 3 * 2 + 4);

    byte[] image = Files.readAllBytes(png);
    assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(image, PNG_SIGNATURE.length));
    assertTrue(
        "the work directory's indexes are deleted",
        Files.list(dir.resolve("work")).toList().isEmpty());
    assertTrue(List.of(run.err().split("\n")).contains("search round 2 of 2"));
  }

  /**
   * With a filter both formats search only the accepted documents, and recall is measured against
   * the exact nearest of those: a beam as wide as the data finds all of them, which it could not
   * if either format returned rejected documents or the truth ignored the filter.
   */
  @Test
  public void testFilteredBenchMeasuresAgainstTheFilteredTruth() throws IOException {
    Path dir = temp.getRoot().toPath();
    Path json = dir.resolve("filtered.jsonl");
    filteredBench(400, "filtered", "--ef", "10,400").assertOutput("filter: 20% of the documents");

    int searches = 0;
    for (String line : Files.readAllLines(json)) {
      JsonObject row = JsonParser.parseString(line).getAsJsonObject();
      String type = row.get("type").getAsString();
      if (type.equals("run")) {
        assertEquals(20, row.get("filterPercent").getAsInt());
      } else if (type.equals("search") && row.get("ef").getAsInt() == 400) {
        searches++;
        assertEquals(row.get("format").getAsString(), 1.0, row.get("recall").getAsDouble(), 0.0);
      }
    }
    assertEquals(2, searches);
  }

  /**
   * The threshold reaches both formats' queries: Lucene's filtered walk, which scores only accepted
   * documents, visits fewer than its plain walk, which here runs out of its budget (as many visits
   * as accepted documents) and then scores them all; ours scores the accepted documents (195 of the
   * 1,000 rows hash into the filter's buckets) outright either way.
   */
  @Test
  public void testFilteredSearchThresholdReachesLucenesQueries() throws IOException {
    Path dir = temp.getRoot().toPath();
    Map<String, Double> visited = new HashMap<>();
    Map<String, Double> recall = new HashMap<>();
    for (String threshold : List.of("0", "100")) {
      Path json = dir.resolve("threshold" + threshold + ".jsonl");
      filteredBench(
              1000, "threshold" + threshold, "--filtered-search-threshold", threshold, "--ef", "10")
          .assertOutput("filtered search threshold " + threshold);
      for (String line : Files.readAllLines(json)) {
        JsonObject row = JsonParser.parseString(line).getAsJsonObject();
        String type = row.get("type").getAsString();
        if (type.equals("run")) {
          assertEquals(
              Integer.parseInt(threshold), row.get("filteredSearchThreshold").getAsInt());
        } else if (type.equals("search")) {
          String key = row.get("format").getAsString() + " " + threshold;
          visited.put(key, row.get("visited").getAsDouble());
          recall.put(key, row.get("recall").getAsDouble());
        }
      }
    }
    assertEquals(visited.toString(), 195.0, visited.get("HnswCodec10 0"), 0.0);
    assertEquals(visited.toString(), 195.0, visited.get("HnswCodec10 100"), 0.0);
    assertEquals(1.0, recall.get("HnswCodec10 100"), 0.0);
    assertTrue(
        visited.toString(), visited.get("Lucene99Hnsw 100") < visited.get("Lucene99Hnsw 0"));
  }

  /**
   * With an encoding, both formats' indexes are their scalar-quantized variants, as each segment
   * records them per field, and the report says so; a bad encoding is refused with the choices.
   */
  @Test
  public void testQuantizedBenchBuildsTheQuantizedVariants() throws IOException {
    Path dir = temp.getRoot().toPath();
    Path work = dir.resolve("work");
    Path json = dir.resolve("quantized.jsonl");
    oneSegmentBench(
            300,
            "quantized",
            "--quantized",
            "PACKED_NIBBLE",
            "--ef",
            "10,300",
            "--work-dir",
            work.toString(),
            "--keep-indexes")
        .assertOutput(
            "quantized PACKED_NIBBLE: HnswCodec10 is HnswCodecScalarQuantized10, Lucene99Hnsw is"
                + " Lucene104HnswScalarQuantizedVectorsFormat");

    Map<String, String> formats = new HashMap<>();
    for (String index : List.of("HnswCodec10", "Lucene99Hnsw")) {
      try (Directory directory = FSDirectory.open(work.resolve(index + "-one-segment"));
          DirectoryReader reader = DirectoryReader.open(directory)) {
        FieldInfo field =
            reader.leaves().get(0).reader().getFieldInfos().fieldInfo(ToolDocuments.VECTOR_FIELD);
        formats.put(index, field.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
      }
    }
    assertEquals(
        Map.of(
            "HnswCodec10", "HnswCodecScalarQuantized10",
            // the class's registered name, as Lucene 10.5.1 spells it
            "Lucene99Hnsw", Lucene104HnswScalarQuantizedVectorsFormat.NAME),
        formats);
    for (String line : Files.readAllLines(json)) {
      JsonObject row = JsonParser.parseString(line).getAsJsonObject();
      if (row.get("type").getAsString().equals("run")) {
        assertEquals("PACKED_NIBBLE", row.get("quantized").getAsString());
      }
    }
    ToolFixtures.run("bench", "--dataset", "sift", "--quantized", "EIGHT_BIT")
        .assertError(2, "expected one of [UNSIGNED_BYTE, PACKED_NIBBLE, SEVEN_BIT");
  }

  /**
   * A grown base is indexed instead of the file's and measured against its own exact neighbours: a
   * beam as wide as the data finds all of them, which it could not if the file's ground truth (ids
   * of the 200 original rows) were used, or the original rows indexed.
   */
  @Test
  public void testGrownBenchIndexesAndMeasuresTheGrownRows() throws IOException {
    Path dir = temp.getRoot().toPath();
    Path json = dir.resolve("grown.jsonl");
    oneSegmentBench(200, "grown", "--grow-to", "900", "--ef", "10,900")
        .assertOutput(
            "bench base-grown900: 900 base vectors",
            "base: grown from base to 900 rows, each a random row of it plus Gaussian noise of"
                + " 0.30");

    int searches = 0;
    for (String line : Files.readAllLines(json)) {
      JsonObject row = JsonParser.parseString(line).getAsJsonObject();
      String type = row.get("type").getAsString();
      if (type.equals("run")) {
        assertEquals(900, row.get("baseVectors").getAsInt());
        assertTrue("no ground-truth file was read", row.get("groundTruth").isJsonNull());
        assertTrue(row.get("growth").getAsString().startsWith("grown from base to 900 rows"));
      } else if (type.equals("search") && row.get("ef").getAsInt() == 900) {
        searches++;
        assertEquals(row.get("format").getAsString(), 1.0, row.get("recall").getAsDouble(), 0.0);
      }
    }
    assertEquals(2, searches);
  }

  /**
   * Runs {@code bench} as {@link #oneSegmentBench} does, with a filter accepting 20% of the
   * documents.
   */
  private ToolFixtures.Run filteredBench(int baseCount, String name, String... args)
      throws IOException {
    List<String> all = new ArrayList<>(List.of("--filter-percent", "20"));
    all.addAll(List.of(args));
    return oneSegmentBench(baseCount, name, all.toArray(String[]::new));
  }

  /**
   * Runs {@code bench} as {@link #bench} does, on one segment, one build and one round of one pass
   * without warm-up, writing {@code name}.jsonl and {@code name}.png to the temporary folder.
   */
  private ToolFixtures.Run oneSegmentBench(int baseCount, String name, String... args)
      throws IOException {
    Path dir = temp.getRoot().toPath();
    List<String> all =
        new ArrayList<>(
            List.of(
                "--flush-mode", "one-segment", "--rounds", "1", "--passes", "1",
                "--warmup-rounds", "0", "--build-rounds", "1", "--json",
                dir.resolve(name + ".jsonl").toString(), "--plot",
                dir.resolve(name + ".png").toString()));
    all.addAll(List.of(args));
    return bench(baseCount, all.toArray(String[]::new));
  }

  /**
   * Runs {@code bench} over {@code baseCount} random 8-d base vectors (an .npy file), 20 queries
   * and their exact ground truth, written to the temporary folder, with the other arguments given.
   */
  private ToolFixtures.Run bench(int baseCount, String... args) throws IOException {
    Path dir = temp.getRoot().toPath();
    float[][] base = ToolFixtures.randomVectors(baseCount, 8, 6);
    float[][] queries = ToolFixtures.randomVectors(20, 8, 7);
    Path baseFile = ToolFixtures.writeNpy(dir.resolve("base.npy"), base);
    Path queryFile = ToolFixtures.writeFvecs(dir.resolve("queries.fvecs"), queries);
    Path truthFile =
        ToolFixtures.writeIvecs(
            dir.resolve("truth.ivecs"), ToolFixtures.groundTruth(base, queries, 10));
    return ToolFixtures.run(
        List.of(
            "bench",
            "--base",
            baseFile.toString(),
            "--queries",
            queryFile.toString(),
            "--groundtruth",
            truthFile.toString()),
        args);
  }
}
